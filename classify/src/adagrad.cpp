// Adagrad (Duchi et al. 2011): per-parameter rates that shrink with the accumulated squared gradient.
#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

class Adagrad final : public Optimizer {
 public:
  Adagrad(float eps, Eigen::Index size) : eps_(eps), cache_(Eigen::VectorXf::Zero(size)) {}

  void update(float* params, const float* grad, float lr, Eigen::Index begin, Eigen::Index end) override {
    UpdateRange r(params, grad, begin, end);
    auto cache = r.of(cache_);
    cache += r.g.square();
    r.x -= lr * r.g / (cache.sqrt() + eps_);
  }

  std::vector<Eigen::VectorXf*> state_vectors() override { return {&cache_}; }

 private:
  float eps_;
  Eigen::VectorXf cache_;
};

}  // namespace

std::unique_ptr<Optimizer> make_adagrad(const OptimizerParams& p, Eigen::Index size) {
  return std::make_unique<Adagrad>(static_cast<float>(p.eps), size);
}

}  // namespace featpipe::classify
