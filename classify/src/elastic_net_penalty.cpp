// Elastic net (Zou & Hastie 2005): L1's sparsity with L2's stability among correlated dimensions.
#include "featpipe/classify/regularizer.h"

namespace featpipe::classify {

template <typename T>
T elastic_net_penalty(ConstMatrixView<T> W, T lambda, T l1_ratio, MatrixView<T> dW) {
  return l1_penalty<T>(W, lambda * l1_ratio, dW) + l2_penalty<T>(W, lambda * (1 - l1_ratio), dW);
}

template float elastic_net_penalty<float>(ConstMatrixView<float>, float, float, MatrixView<float>);
template double elastic_net_penalty<double>(ConstMatrixView<double>, double, double, MatrixView<double>);

}  // namespace featpipe::classify
