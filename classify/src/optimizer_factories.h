#pragma once
// Private: one optimiser per file; optimizer.cpp dispatches on the kind.
#include <memory>

#include "featpipe/classify/optimizer.h"

namespace featpipe::classify {

std::unique_ptr<Optimizer> make_sgd();
std::unique_ptr<Optimizer> make_momentum(const OptimizerParams& p, Eigen::Index size);
std::unique_ptr<Optimizer> make_nesterov(const OptimizerParams& p, Eigen::Index size);
std::unique_ptr<Optimizer> make_adagrad(const OptimizerParams& p, Eigen::Index size);
std::unique_ptr<Optimizer> make_rmsprop(const OptimizerParams& p, Eigen::Index size);
std::unique_ptr<Optimizer> make_adam(const OptimizerParams& p, Eigen::Index size);

}  // namespace featpipe::classify
