// Softmax cross-entropy. Scores are shifted by their row maximum before exponentiating (log-sum-exp),
// so large scores cannot overflow.
#include <cmath>

#include "featpipe/classify/loss.h"

namespace featpipe::classify {

template <typename T>
T softmax_loss(ConstMatrixView<T> scores, Labels labels, MatrixView<T> dscores) {
  const Eigen::Index n = scores.rows();
  const T inv_n = T(1) / static_cast<T>(n);
  // s - row max, then e^ of the whole minibatch in one vectorised pass (Eigen's exp: scalar std::exp
  // took about a tenth of a softmax training step)
  T total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    dscores.row(i) = scores.row(i).array() - scores.row(i).maxCoeff();
    total -= dscores(i, labels[i]);  // -(s_y - top)
  }
  if (dscores.outerStride() == dscores.cols()) {  // one run of memory: vectorised across rows too
    Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> all(dscores.data(), dscores.size());
    all = all.exp();
  } else {
    dscores = dscores.array().exp().matrix();
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    const T sum = dscores.row(i).sum();
    total += std::log(sum);
    dscores.row(i) *= inv_n / sum;
    dscores(i, labels[i]) -= inv_n;
  }
  return total * inv_n;
}

template float softmax_loss<float>(ConstMatrixView<float>, Labels, MatrixView<float>);
template double softmax_loss<double>(ConstMatrixView<double>, Labels, MatrixView<double>);

}  // namespace featpipe::classify
