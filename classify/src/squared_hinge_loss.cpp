// Squared-hinge multiclass SVM: the Weston-Watkins margin violations squared, which makes the loss
// differentiable and punishes large violations more.
#include "featpipe/classify/loss.h"

namespace featpipe::classify {

template <typename T>
T squared_hinge_loss(ConstMatrixView<T> scores, Labels labels, T delta, MatrixView<T> dscores) {
  const Eigen::Index n = scores.rows(), classes = scores.cols();
  const T inv_n = T(1) / static_cast<T>(n);
  T total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const int32_t y = labels[i];
    const T correct = scores(i, y);
    T pull = 0;
    for (Eigen::Index j = 0; j < classes; ++j) {
      const T margin = scores(i, j) - correct + delta;
      const T violation = (j != y && margin > 0) ? margin : T(0);
      total += violation * violation;
      dscores(i, j) = 2 * violation * inv_n;
      pull += violation;
    }
    dscores(i, y) = -2 * pull * inv_n;
  }
  return total * inv_n;
}

template float squared_hinge_loss<float>(ConstMatrixView<float>, Labels, float, MatrixView<float>);
template double squared_hinge_loss<double>(ConstMatrixView<double>, Labels, double, MatrixView<double>);

}  // namespace featpipe::classify
