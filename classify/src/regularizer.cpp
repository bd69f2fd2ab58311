#include "featpipe/classify/regularizer.h"

#include <cmath>
#include <stdexcept>

#include "featpipe/core/format.h"

namespace featpipe::classify {

std::optional<std::string> validate(const RegParams& p) {
  if (!(p.lambda >= 0) || !std::isfinite(p.lambda)) return "lambda must be a number >= 0";
  if (!(p.l1_ratio >= 0 && p.l1_ratio <= 1)) return "l1_ratio must be in [0, 1]";
  return std::nullopt;
}

const Registry<RegKind>& regularizer_registry() {
  const RegParams d;
  const ParamHelp lambda{"lambda", format_number(d.lambda), "strength"};
  static const Registry<RegKind> registry(
      "regulariser", {{"none", "no penalty", {}, RegKind::none},
                      {"l2", "lambda * sum W^2", {lambda}, RegKind::l2},
                      {"l1", "lambda * sum |W|", {lambda}, RegKind::l1},
                      {"elastic",
                       "lambda * (l1_ratio * sum |W| + (1 - l1_ratio) * sum W^2)",
                       {lambda, {"l1-ratio", format_number(d.l1_ratio), "share of the L1 term"}},
                       RegKind::elastic}});
  return registry;
}

RegKind parse_reg(const std::string& name) { return regularizer_registry().at(name).value; }

std::string to_string(RegKind kind) { return regularizer_registry().entry_of(kind).name; }

std::vector<RegKind> all_regs() {
  std::vector<RegKind> kinds;
  for (const auto& entry : regularizer_registry()) kinds.push_back(entry.value);
  return kinds;
}

template <typename T>
T penalty(const RegParams& p, ConstMatrixView<T> W, MatrixView<T> dW) {
  const T lambda = static_cast<T>(p.lambda);
  switch (p.kind) {
    case RegKind::none:
      return 0;
    case RegKind::l2:
      return l2_penalty<T>(W, lambda, dW);
    case RegKind::l1:
      return l1_penalty<T>(W, lambda, dW);
    case RegKind::elastic:
      return elastic_net_penalty<T>(W, lambda, static_cast<T>(p.l1_ratio), dW);
  }
  throw std::invalid_argument("unknown regulariser kind");
}

template float penalty<float>(const RegParams&, ConstMatrixView<float>, MatrixView<float>);
template double penalty<double>(const RegParams&, ConstMatrixView<double>, MatrixView<double>);

}  // namespace featpipe::classify
