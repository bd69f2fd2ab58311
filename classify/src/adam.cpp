// Adam (Kingma & Ba 2015): momentum on the gradient and RMSprop scaling, both bias-corrected for their
// zero initialisation.
#include <cmath>

#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

class Adam final : public Optimizer {
 public:
  Adam(const OptimizerParams& p, Eigen::Index size)
      : beta1_(p.beta1),
        beta2_(p.beta2),
        eps_(static_cast<float>(p.eps)),
        m_(Eigen::VectorXf::Zero(size)),
        v_(Eigen::VectorXf::Zero(size)) {}

  void step(Eigen::Ref<Eigen::VectorXf> params, Eigen::Ref<const Eigen::VectorXf> grad, float lr) override {
    ++t_;
    const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_);
    m_ = b1 * m_ + (1 - b1) * grad;
    v_.array() = b2 * v_.array() + (1 - b2) * grad.array().square();
    // bias corrections folded into the step and the epsilon: lr m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps)
    const double c1 = 1 - std::pow(beta1_, t_), c2 = std::sqrt(1 - std::pow(beta2_, t_));
    const float step = static_cast<float>(lr * c2 / c1);
    const float eps = static_cast<float>(eps_ * c2);
    params.array() -= step * m_.array() / (v_.array().sqrt() + eps);
  }

  std::vector<Eigen::VectorXf*> state_vectors() override { return {&m_, &v_}; }
  int64_t* step_count() override { return &t_; }

 private:
  double beta1_, beta2_;
  float eps_;
  Eigen::VectorXf m_, v_;
  int64_t t_ = 0;
};

}  // namespace

std::unique_ptr<Optimizer> make_adam(const OptimizerParams& p, Eigen::Index size) {
  return std::make_unique<Adam>(p, size);
}

}  // namespace featpipe::classify
