// Vanilla minibatch SGD: a step down the gradient.
#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

class Sgd final : public Optimizer {
 public:
  void update(float* params, const float* grad, float lr, Eigen::Index begin, Eigen::Index end) override {
    UpdateRange r(params, grad, begin, end);
    r.x -= lr * r.g;
  }
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd() { return std::make_unique<Sgd>(); }

}  // namespace featpipe::classify
