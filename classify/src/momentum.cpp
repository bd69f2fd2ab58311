// Momentum (Polyak's heavy ball): a velocity integrates the gradient, damping oscillation across narrow
// valleys and speeding progress along them.
#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

class Momentum final : public Optimizer {
 public:
  Momentum(float mu, Eigen::Index size) : mu_(mu), velocity_(Eigen::VectorXf::Zero(size)) {}

  void update(float* params, const float* grad, float lr, Eigen::Index begin, Eigen::Index end) override {
    UpdateRange r(params, grad, begin, end);
    auto v = r.of(velocity_);
    v = mu_ * v - lr * r.g;
    r.x += v;
  }

  std::vector<Eigen::VectorXf*> state_vectors() override { return {&velocity_}; }

 private:
  float mu_;
  Eigen::VectorXf velocity_;
};

}  // namespace

std::unique_ptr<Optimizer> make_momentum(const OptimizerParams& p, Eigen::Index size) {
  return std::make_unique<Momentum>(static_cast<float>(p.momentum), size);
}

}  // namespace featpipe::classify
