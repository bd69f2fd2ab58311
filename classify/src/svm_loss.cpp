// Multiclass SVM, Weston & Watkins (1999): every wrong class within delta of the true one costs its
// margin violation.
#include <algorithm>

#include "featpipe/classify/loss.h"

namespace featpipe::classify {

template <typename T>
T svm_loss(ConstMatrixView<T> scores, Labels labels, T delta, MatrixView<T> dscores) {
  const Eigen::Index n = scores.rows(), classes = scores.cols();
  const T inv_n = T(1) / static_cast<T>(n);
  T total = 0;
  // Branch-free: every class j counts max(0, margin) as if it were wrong, then the true class's own
  // term, max(0, delta), is taken back (whether a margin is violated is a coin toss for the branch
  // predictor during training).
  const T own = std::max(delta, T(0));
  const int own_active = delta > 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const int32_t y = labels[i];
    const T correct = scores(i, y);
    T row_total = 0;
    int violations = 0;
    for (Eigen::Index j = 0; j < classes; ++j) {
      const T margin = scores(i, j) - correct + delta;
      const int active = margin > 0;
      row_total += std::max(margin, T(0));
      violations += active;
      dscores(i, j) = static_cast<T>(active) * inv_n;
    }
    total += row_total - own;
    dscores(i, y) = -static_cast<T>(violations - own_active) * inv_n;
  }
  return total * inv_n;
}

template float svm_loss<float>(ConstMatrixView<float>, Labels, float, MatrixView<float>);
template double svm_loss<double>(ConstMatrixView<double>, Labels, double, MatrixView<double>);

}  // namespace featpipe::classify
