#include "featpipe/classify/optimizer.h"

#include <cmath>
#include <stdexcept>

#include "featpipe/core/format.h"
#include "optimizer_factories.h"

namespace featpipe::classify {
namespace {

bool in_unit_interval(double x) { return x >= 0 && x < 1; }

}  // namespace

std::optional<std::string> validate(const OptimizerParams& p) {
  if (!in_unit_interval(p.momentum)) return "momentum must be in [0, 1)";
  if (!in_unit_interval(p.decay)) return "decay must be in [0, 1)";
  if (!in_unit_interval(p.beta1)) return "beta1 must be in [0, 1)";
  if (!in_unit_interval(p.beta2)) return "beta2 must be in [0, 1)";
  if (!(p.eps > 0) || !std::isfinite(p.eps)) return "eps must be a positive number";
  if (!(p.average_start >= 0) || !std::isfinite(p.average_start))
    return "average_start must be a number >= 0";
  if (p.average_start_step < 0) return "average_start_step must be >= 0";
  return std::nullopt;
}

const Registry<OptimizerKind>& optimizer_registry() {
  const OptimizerParams d;
  const ParamHelp momentum{"momentum", format_number(d.momentum), "mu: velocity kept per step"};
  const ParamHelp eps{"eps", format_number(d.eps), "added to the denominator"};
  static const Registry<OptimizerKind> registry(
      "optimizer",
      {{"sgd", "x -= lr g", {}, OptimizerKind::sgd},
       {"momentum", "v = mu v - lr g; x += v", {momentum}, OptimizerKind::momentum},
       {"nesterov", "Nesterov momentum (Sutskever et al. 2013)", {momentum}, OptimizerKind::nesterov},
       {"adagrad", "x -= lr g / (sqrt(sum g^2) + eps)", {eps}, OptimizerKind::adagrad},
       {"rmsprop",
        "x -= lr g / (sqrt(running mean of g^2) + eps)",
        {{"decay", format_number(d.decay), "decay of the squared-gradient average"}, eps},
        OptimizerKind::rmsprop},
       {"adam",
        "bias-corrected moments (Kingma & Ba 2015)",
        {{"beta1", format_number(d.beta1), "decay of the first moment"},
         {"beta2", format_number(d.beta2), "decay of the second moment"},
         eps},
        OptimizerKind::adam},
       {"asgd",
        "averaged SGD (Polyak & Juditsky 1992, Bottou 2010): x -= lr g, the model is the mean of x",
        {{"average-start", format_number(d.average_start), "epochs of plain SGD before averaging"}},
        OptimizerKind::asgd}});
  return registry;
}

OptimizerKind parse_optimizer(const std::string& name) { return optimizer_registry().at(name).value; }

std::string to_string(OptimizerKind kind) { return optimizer_registry().entry_of(kind).name; }

std::vector<OptimizerKind> all_optimizers() {
  std::vector<OptimizerKind> kinds;
  for (const auto& entry : optimizer_registry()) kinds.push_back(entry.value);
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
    case OptimizerKind::asgd:
      return make_asgd(p, size);
  }
  throw std::invalid_argument("unknown optimizer kind");
}

}  // namespace featpipe::classify
