// L1 (lasso): drives weights of uninformative dimensions towards exactly zero.
#include "featpipe/classify/regularizer.h"

namespace featpipe::classify {

template <typename T>
T l1_penalty(ConstMatrixView<T> W, T lambda, MatrixView<T> dW) {
  dW.array() += lambda * W.array().sign();
  return lambda * W.template lpNorm<1>();
}

template float l1_penalty<float>(ConstMatrixView<float>, float, MatrixView<float>);
template double l1_penalty<double>(ConstMatrixView<double>, double, MatrixView<double>);

}  // namespace featpipe::classify
