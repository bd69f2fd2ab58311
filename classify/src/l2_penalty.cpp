// L2 (weight decay): prefers many small weights over a few large ones.
#include "featpipe/classify/regularizer.h"

namespace featpipe::classify {

template <typename T>
T l2_penalty(ConstMatrixView<T> W, T lambda, MatrixView<T> dW) {
  dW += (2 * lambda) * W;
  return lambda * W.squaredNorm();
}

template float l2_penalty<float>(ConstMatrixView<float>, float, MatrixView<float>);
template double l2_penalty<double>(ConstMatrixView<double>, double, MatrixView<double>);

}  // namespace featpipe::classify
