// Softmax cross-entropy. Scores are shifted by their row maximum before exponentiating (log-sum-exp),
// so large scores cannot overflow.
#include <cmath>

#include "featpipe/classify/loss.h"

namespace featpipe::classify {

template <typename T>
T softmax_loss(ConstMatrixView<T> scores, Labels labels, MatrixView<T> dscores) {
  const Eigen::Index n = scores.rows(), classes = scores.cols();
  const T inv_n = T(1) / static_cast<T>(n);
  T total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const T top = scores.row(i).maxCoeff();
    T sum = 0;
    for (Eigen::Index j = 0; j < classes; ++j) {
      const T e = std::exp(scores(i, j) - top);
      dscores(i, j) = e;
      sum += e;
    }
    const int32_t y = labels[i];
    total += std::log(sum) + top - scores(i, y);
    dscores.row(i) *= inv_n / sum;
    dscores(i, y) -= inv_n;
  }
  return total * inv_n;
}

template float softmax_loss<float>(ConstMatrixView<float>, Labels, MatrixView<float>);
template double softmax_loss<double>(ConstMatrixView<double>, Labels, MatrixView<double>);

}  // namespace featpipe::classify
