#pragma once
// Private: one optimiser per file; optimizer.cpp dispatches on the kind.
#include <memory>

#include "featpipe/classify/optimizer.h"

namespace featpipe::classify {

/// Elements [begin, end) of an update: the parameters, their gradient, and a state vector's.
struct UpdateRange {
  UpdateRange(float* params, const float* grad, Eigen::Index begin, Eigen::Index end)
      : begin(begin), size(end - begin), x(params + begin, size), g(grad + begin, size) {}
  auto of(Eigen::VectorXf& state) const { return state.segment(begin, size).array(); }

  Eigen::Index begin, size;
  Eigen::Map<Eigen::ArrayXf> x;
  Eigen::Map<const Eigen::ArrayXf> g;
};

std::unique_ptr<Optimizer> make_sgd();
std::unique_ptr<Optimizer> make_momentum(const OptimizerParams& p, Eigen::Index size);
std::unique_ptr<Optimizer> make_nesterov(const OptimizerParams& p, Eigen::Index size);
std::unique_ptr<Optimizer> make_adagrad(const OptimizerParams& p, Eigen::Index size);
std::unique_ptr<Optimizer> make_rmsprop(const OptimizerParams& p, Eigen::Index size);
std::unique_ptr<Optimizer> make_adam(const OptimizerParams& p, Eigen::Index size);
std::unique_ptr<Optimizer> make_asgd(const OptimizerParams& p, Eigen::Index size);

}  // namespace featpipe::classify
