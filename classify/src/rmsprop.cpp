// RMSprop (Hinton, Coursera lecture 6e): Adagrad with a leaky average, so rates do not decay to zero.
#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

class RmsProp final : public Optimizer {
 public:
  RmsProp(float decay, float eps, Eigen::Index size)
      : decay_(decay), eps_(eps), cache_(Eigen::VectorXf::Zero(size)) {}

  void step(Eigen::Ref<Eigen::VectorXf> params, Eigen::Ref<const Eigen::VectorXf> grad, float lr) override {
    cache_.array() = decay_ * cache_.array() + (1 - decay_) * grad.array().square();
    params.array() -= lr * grad.array() / (cache_.array().sqrt() + eps_);
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
