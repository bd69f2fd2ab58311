// Averaged SGD (Polyak & Juditsky 1992; Bottou, "Large-scale machine learning with stochastic gradient
// descent", 2010): plain SGD steps, and the model is the running mean of the iterates from a start step on.
// The mean smooths out the minibatch noise that a constant rate leaves, so a few epochs reach what SGD
// needs a slowly decaying rate for; Lin et al. trained ImageNet's 1000 classifiers this way (CVPR 2011).
#include <algorithm>

#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

class Asgd final : public Optimizer {
 public:
  Asgd(int64_t start, Eigen::Index size) : start_(start), average_(Eigen::VectorXf::Zero(size)) {}

  void begin_step() override {
    ++t_;
    // the mean of the iterates since the start: until then it follows them (weight 1)
    weight_ = 1.0f / static_cast<float>(std::max<int64_t>(1, t_ - start_));
  }

  void update(float* params, const float* grad, float lr, Eigen::Index begin, Eigen::Index end) override {
    UpdateRange r(params, grad, begin, end);
    r.x -= lr * r.g;
    auto a = r.of(average_);
    if (weight_ == 1.0f) {
      a = r.x;  // exactly the iterate (a + (x - a) may differ from x in the last bit)
    } else {
      a += weight_ * (r.x - a);
    }
  }

  const Eigen::VectorXf* averaged() const override { return &average_; }
  std::vector<Eigen::VectorXf*> state_vectors() override { return {&average_}; }
  int64_t* step_count() override { return &t_; }

 private:
  int64_t start_;
  Eigen::VectorXf average_;
  int64_t t_ = 0;
  float weight_ = 1;
};

}  // namespace

std::unique_ptr<Optimizer> make_asgd(const OptimizerParams& p, Eigen::Index size) {
  return std::make_unique<Asgd>(p.average_start_step, size);
}

}  // namespace featpipe::classify
