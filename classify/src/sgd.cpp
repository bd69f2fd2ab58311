// Vanilla minibatch SGD: a step down the gradient.
#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

class Sgd final : public Optimizer {
 public:
  void step(Eigen::Ref<Eigen::VectorXf> params, Eigen::Ref<const Eigen::VectorXf> grad, float lr) override {
    params -= lr * grad;
  }
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd() { return std::make_unique<Sgd>(); }

}  // namespace featpipe::classify
