#include "featpipe/classify/regularizer.h"

#include <cmath>
#include <stdexcept>

namespace featpipe::classify {
namespace {

struct NamedReg {
  RegKind kind;
  const char* name;
};

constexpr NamedReg kRegs[] = {
    {RegKind::none, "none"}, {RegKind::l2, "l2"}, {RegKind::l1, "l1"}, {RegKind::elastic, "elastic"}};

}  // namespace

std::optional<std::string> validate(const RegParams& p) {
  if (!(p.lambda >= 0) || !std::isfinite(p.lambda)) return "lambda must be a number >= 0";
  if (!(p.l1_ratio >= 0 && p.l1_ratio <= 1)) return "l1_ratio must be in [0, 1]";
  return std::nullopt;
}

RegKind parse_reg(const std::string& name) {
  std::string names;
  for (const NamedReg& r : kRegs) {
    if (name == r.name) return r.kind;
    names += names.empty() ? r.name : std::string(", ") + r.name;
  }
  throw std::invalid_argument("unknown regulariser '" + name + "'; known: " + names);
}

std::string to_string(RegKind kind) {
  for (const NamedReg& r : kRegs) {
    if (r.kind == kind) return r.name;
  }
  throw std::invalid_argument("unknown regulariser kind");
}

std::vector<RegKind> all_regs() {
  std::vector<RegKind> kinds;
  for (const NamedReg& r : kRegs) kinds.push_back(r.kind);
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
