// Multiclass SVM, Weston & Watkins (1999): every wrong class within delta of the true one costs its
// margin violation.
#include "featpipe/classify/loss.h"

namespace featpipe::classify {

template <typename T>
T svm_loss(ConstMatrixView<T> scores, Labels labels, T delta, MatrixView<T> dscores) {
  const Eigen::Index n = scores.rows(), classes = scores.cols();
  const T inv_n = T(1) / static_cast<T>(n);
  T total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const int32_t y = labels[i];
    const T correct = scores(i, y);
    int violations = 0;
    for (Eigen::Index j = 0; j < classes; ++j) {
      const T margin = scores(i, j) - correct + delta;
      const bool active = j != y && margin > 0;
      total += active ? margin : T(0);
      violations += active;
      dscores(i, j) = active ? inv_n : T(0);
    }
    dscores(i, y) = -static_cast<T>(violations) * inv_n;
  }
  return total * inv_n;
}

template float svm_loss<float>(ConstMatrixView<float>, Labels, float, MatrixView<float>);
template double svm_loss<double>(ConstMatrixView<double>, Labels, double, MatrixView<double>);

}  // namespace featpipe::classify
