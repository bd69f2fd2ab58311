#include "featpipe/classify/optimizer.h"

#include <cmath>
#include <stdexcept>

#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

struct NamedOptimizer {
  OptimizerKind kind;
  const char* name;
};

constexpr NamedOptimizer kOptimizers[] = {
    {OptimizerKind::sgd, "sgd"},           {OptimizerKind::momentum, "momentum"},
    {OptimizerKind::nesterov, "nesterov"}, {OptimizerKind::adagrad, "adagrad"},
    {OptimizerKind::rmsprop, "rmsprop"},   {OptimizerKind::adam, "adam"}};

bool in_unit_interval(double x) { return x >= 0 && x < 1; }

}  // namespace

std::optional<std::string> validate(const OptimizerParams& p) {
  if (!in_unit_interval(p.momentum)) return "momentum must be in [0, 1)";
  if (!in_unit_interval(p.decay)) return "decay must be in [0, 1)";
  if (!in_unit_interval(p.beta1) || !in_unit_interval(p.beta2)) return "beta1 and beta2 must be in [0, 1)";
  if (!(p.eps > 0) || !std::isfinite(p.eps)) return "eps must be a positive number";
  return std::nullopt;
}

OptimizerKind parse_optimizer(const std::string& name) {
  std::string names;
  for (const NamedOptimizer& o : kOptimizers) {
    if (name == o.name) return o.kind;
    names += names.empty() ? o.name : std::string(", ") + o.name;
  }
  throw std::invalid_argument("unknown optimizer '" + name + "'; known: " + names);
}

std::string to_string(OptimizerKind kind) {
  for (const NamedOptimizer& o : kOptimizers) {
    if (o.kind == kind) return o.name;
  }
  throw std::invalid_argument("unknown optimizer kind");
}

std::vector<OptimizerKind> all_optimizers() {
  std::vector<OptimizerKind> kinds;
  for (const NamedOptimizer& o : kOptimizers) kinds.push_back(o.kind);
  return kinds;
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerParams& p, Eigen::Index size) {
  if (auto problem = validate(p)) throw std::invalid_argument("optimizer: " + *problem);
  switch (p.kind) {
    case OptimizerKind::sgd:
      return make_sgd();
    case OptimizerKind::momentum:
      return make_momentum(p, size);
    case OptimizerKind::nesterov:
      return make_nesterov(p, size);
    case OptimizerKind::adagrad:
      return make_adagrad(p, size);
    case OptimizerKind::rmsprop:
      return make_rmsprop(p, size);
    case OptimizerKind::adam:
      return make_adam(p, size);
  }
  throw std::invalid_argument("unknown optimizer kind");
}

}  // namespace featpipe::classify
