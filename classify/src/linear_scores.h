#pragma once
// Private: scores and their backward pass as matrix products, shared by training (float), prediction
// and the gradient check (double), so every loss reuses one dW = X^T dS.
#include <cstdint>

#include "featpipe/core/matrix.h"

namespace featpipe::classify {

template <typename T>
using ConstRowVectorView = Eigen::Ref<const RowVector<T>>;
template <typename T>
using RowVectorView = Eigen::Ref<RowVector<T>>;

/// S = X W + b (b added to every row).
template <typename T>
void forward_scores(ConstMatrixView<T> X, ConstMatrixView<T> W, ConstRowVectorView<T> b, MatrixView<T> S) {
  S.noalias() = X * W;
  S.rowwise() += b;
}

/// dW = scale X^T dS and db = scale colsum(dS), overwritten.
template <typename T>
void backward_scores(ConstMatrixView<T> X, ConstMatrixView<T> dS, T scale, MatrixView<T> dW,
                     RowVectorView<T> db) {
  dW.noalias() = scale * X.transpose() * dS;
  db.noalias() = scale * dS.colwise().sum();
}

/// argmax of one row of scores; ties go to the lower class.
template <typename T>
int32_t argmax(const Eigen::Ref<const RowVector<T>>& scores) {
  Eigen::Index best = 0;
  scores.maxCoeff(&best);
  return static_cast<int32_t>(best);
}

/// What predict_rows answers for a row whose scores are not all finite.
inline constexpr int32_t kNonFiniteScores = -1;

/// Scores [n, C] of standardised rows, parallel over fixed blocks of rows: the blocks of predict_rows, in the
/// same variant, so that the argmax of a row's scores is the class predict_rows gives it, to the bit.
void score_rows(ConstMatrixView<float> rows, ConstMatrixView<float> W, ConstRowVectorView<float> b,
                MatrixView<float> scores);

/// Predicted classes of standardised rows into out, parallel over fixed blocks of rows; kNonFiniteScores
/// for a row whose scores overflowed.
void predict_rows(ConstMatrixView<float> rows, ConstMatrixView<float> W, ConstRowVectorView<float> b,
                  int32_t* out);

}  // namespace featpipe::classify
