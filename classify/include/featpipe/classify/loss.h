#pragma once
// Data losses on a minibatch of scores S = X W + b ([n, C], one row per sample). Each returns the mean
// loss over the rows and overwrites dscores with dL/dS of that mean; the trainer turns dL/dS into
// dW = X^T dS and db = colsum(dS) once for all losses. Float in training, double in the gradient check.
#include <optional>
#include <string>
#include <vector>

#include "featpipe/core/matrix.h"
#include "featpipe/core/registry.h"

namespace featpipe::classify {

enum class LossKind { svm, squared_hinge, softmax, mse };

struct LossParams {
  LossKind kind = LossKind::softmax;
  double delta = 1.0;  // margin of svm and squared-hinge
};

std::optional<std::string> validate(const LossParams& p);

/// The loss names (svm, squared-hinge, softmax, mse) with their parameters.
const Registry<LossKind>& loss_registry();

/// A loss_registry() name; std::invalid_argument listing the names otherwise.
LossKind parse_loss(const std::string& name);
std::string to_string(LossKind kind);
std::vector<LossKind> all_losses();

/// Multiclass SVM (Weston & Watkins 1999, as in CS231n): L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + delta).
template <typename T>
T svm_loss(ConstMatrixView<T> scores, Labels labels, T delta, MatrixView<T> dscores);

/// L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + delta)^2.
template <typename T>
T squared_hinge_loss(ConstMatrixView<T> scores, Labels labels, T delta, MatrixView<T> dscores);

/// Cross-entropy of the softmax, L_i = log(sum_j e^{s_j}) - s_{y_i}, evaluated with log-sum-exp.
template <typename T>
T softmax_loss(ConstMatrixView<T> scores, Labels labels, MatrixView<T> dscores);

/// Squared error to one-hot targets, summed over classes: L_i = sum_j (s_j - [j == y_i])^2.
template <typename T>
T mse_loss(ConstMatrixView<T> scores, Labels labels, MatrixView<T> dscores);

/// Dispatches on p.kind (once per block of rows, never per sample).
template <typename T>
T data_loss(const LossParams& p, ConstMatrixView<T> scores, Labels labels, MatrixView<T> dscores);

/// The loss when all scores are equal (weights ~ 0): (K - 1) delta for svm, (K - 1) delta^2 for
/// squared-hinge, ln K for softmax, 1 for mse. The trainer compares the first loss against it.
double expected_initial_loss(const LossParams& p, int classes);

}  // namespace featpipe::classify
