// Nesterov momentum in the form that needs the gradient at the current parameters only: the stored
// parameters are the look-ahead point x + mu v, and the update corrects for it (Sutskever et al. 2013;
// CS231n's "x += -mu v_prev + (1 + mu) v").
#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

class Nesterov final : public Optimizer {
 public:
  Nesterov(float mu, Eigen::Index size) : mu_(mu), velocity_(Eigen::VectorXf::Zero(size)) {}

  void update(float* params, const float* grad, float lr, Eigen::Index begin, Eigen::Index end) override {
    // x += -mu v_prev + (1 + mu) v_new, with v_new = mu v_prev - lr g, written without a copy of v_prev
    UpdateRange r(params, grad, begin, end);
    auto v = r.of(velocity_);
    r.x -= mu_ * v;
    v = mu_ * v - lr * r.g;
    r.x += (1 + mu_) * v;
  }

  std::vector<Eigen::VectorXf*> state_vectors() override { return {&velocity_}; }

 private:
  float mu_;
  Eigen::VectorXf velocity_;
};

}  // namespace

std::unique_ptr<Optimizer> make_nesterov(const OptimizerParams& p, Eigen::Index size) {
  return std::make_unique<Nesterov>(static_cast<float>(p.momentum), size);
}

}  // namespace featpipe::classify
