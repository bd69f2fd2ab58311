// Adagrad (Duchi et al. 2011): per-parameter rates that shrink with the accumulated squared gradient.
#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

class Adagrad final : public Optimizer {
 public:
  Adagrad(float eps, Eigen::Index size) : eps_(eps), cache_(Eigen::VectorXf::Zero(size)) {}

  void step(Eigen::Ref<Eigen::VectorXf> params, Eigen::Ref<const Eigen::VectorXf> grad, float lr) override {
    cache_.array() += grad.array().square();
    params.array() -= lr * grad.array() / (cache_.array().sqrt() + eps_);
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
