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

  void begin_step() override {
    ++t_;
    // bias corrections folded into the step and the epsilon: lr m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps)
    const double c1 = 1 - std::pow(beta1_, t_), c2 = std::sqrt(1 - std::pow(beta2_, t_));
    step_scale_ = c2 / c1;
    corrected_eps_ = static_cast<float>(eps_ * c2);
  }

  void update(float* params, const float* grad, float lr, Eigen::Index begin, Eigen::Index end) override {
    const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_);
    UpdateRange r(params, grad, begin, end);
    auto m = r.of(m_), v = r.of(v_);
    m = b1 * m + (1 - b1) * r.g;
    v = b2 * v + (1 - b2) * r.g.square();
    const float step = static_cast<float>(lr * step_scale_);
    r.x -= step * m / (v.sqrt() + corrected_eps_);
  }

  std::vector<Eigen::VectorXf*> state_vectors() override { return {&m_, &v_}; }
  int64_t* step_count() override { return &t_; }

 private:
  double beta1_, beta2_;
  float eps_;
  Eigen::VectorXf m_, v_;
  int64_t t_ = 0;
  double step_scale_ = 1;  // of the current step: sqrt(1 - b2^t) / (1 - b1^t)
  float corrected_eps_ = 0;
};

}  // namespace

std::unique_ptr<Optimizer> make_adam(const OptimizerParams& p, Eigen::Index size) {
  return std::make_unique<Adam>(p, size);
}

}  // namespace featpipe::classify
