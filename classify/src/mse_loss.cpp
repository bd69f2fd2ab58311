// Squared error to one-hot targets: regression used as a classifier, the baseline the margin losses
// improve on.
#include "featpipe/classify/loss.h"

namespace featpipe::classify {

template <typename T>
T mse_loss(ConstMatrixView<T> scores, Labels labels, MatrixView<T> dscores) {
  const Eigen::Index n = scores.rows();
  const T inv_n = T(1) / static_cast<T>(n);
  T total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    dscores.row(i) = scores.row(i);
    dscores(i, labels[i]) -= 1;
    total += dscores.row(i).squaredNorm();
    dscores.row(i) *= 2 * inv_n;
  }
  return total * inv_n;
}

template float mse_loss<float>(ConstMatrixView<float>, Labels, MatrixView<float>);
template double mse_loss<double>(ConstMatrixView<double>, Labels, MatrixView<double>);

}  // namespace featpipe::classify
