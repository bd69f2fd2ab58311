// RMSprop (Hinton, Coursera lecture 6e): Adagrad with a leaky average, so rates do not decay to zero.
#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

class RmsProp final : public Optimizer {
 public:
  RmsProp(float decay, float eps, Eigen::Index size)
      : decay_(decay), eps_(eps), cache_(Eigen::VectorXf::Zero(size)) {}

  void update(float* params, const float* grad, float lr, Eigen::Index begin, Eigen::Index end) override {
    UpdateRange r(params, grad, begin, end);
    auto cache = r.of(cache_);
    cache = decay_ * cache + (1 - decay_) * r.g.square();
    r.x -= lr * r.g / (cache.sqrt() + eps_);
  }

  std::vector<Eigen::VectorXf*> state_vectors() override { return {&cache_}; }

 private:
  float decay_, eps_;
  Eigen::VectorXf cache_;
};

}  // namespace

std::unique_ptr<Optimizer> make_rmsprop(const OptimizerParams& p, Eigen::Index size) {
  return std::make_unique<RmsProp>(static_cast<float>(p.decay), static_cast<float>(p.eps), size);
}

}  // namespace featpipe::classify
