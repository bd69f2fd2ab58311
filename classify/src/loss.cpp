#include "featpipe/classify/loss.h"

#include <cmath>
#include <stdexcept>

namespace featpipe::classify {
namespace {

struct NamedLoss {
  LossKind kind;
  const char* name;
};

constexpr NamedLoss kLosses[] = {{LossKind::svm, "svm"},
                                 {LossKind::squared_hinge, "squared-hinge"},
                                 {LossKind::softmax, "softmax"},
                                 {LossKind::mse, "mse"}};

}  // namespace

std::optional<std::string> validate(const LossParams& p) {
  if (!(p.delta > 0) || !std::isfinite(p.delta)) return "delta must be a positive number";
  return std::nullopt;
}

LossKind parse_loss(const std::string& name) {
  std::string names;
  for (const NamedLoss& l : kLosses) {
    if (name == l.name) return l.kind;
    names += names.empty() ? l.name : std::string(", ") + l.name;
  }
  throw std::invalid_argument("unknown loss '" + name + "'; known: " + names);
}

std::string to_string(LossKind kind) {
  for (const NamedLoss& l : kLosses) {
    if (l.kind == kind) return l.name;
  }
  throw std::invalid_argument("unknown loss kind");
}

std::vector<LossKind> all_losses() {
  std::vector<LossKind> kinds;
  for (const NamedLoss& l : kLosses) kinds.push_back(l.kind);
  return kinds;
}

template <typename T>
T data_loss(const LossParams& p, ConstMatrixView<T> scores, Labels labels, MatrixView<T> dscores) {
  switch (p.kind) {
    case LossKind::svm:
      return svm_loss<T>(scores, labels, static_cast<T>(p.delta), dscores);
    case LossKind::squared_hinge:
      return squared_hinge_loss<T>(scores, labels, static_cast<T>(p.delta), dscores);
    case LossKind::softmax:
      return softmax_loss<T>(scores, labels, dscores);
    case LossKind::mse:
      return mse_loss<T>(scores, labels, dscores);
  }
  throw std::invalid_argument("unknown loss kind");
}

template float data_loss<float>(const LossParams&, ConstMatrixView<float>, Labels, MatrixView<float>);
template double data_loss<double>(const LossParams&, ConstMatrixView<double>, Labels, MatrixView<double>);

double expected_initial_loss(const LossParams& p, int classes) {
  switch (p.kind) {
    case LossKind::svm:
      return (classes - 1) * p.delta;
    case LossKind::squared_hinge:
      return (classes - 1) * p.delta * p.delta;
    case LossKind::softmax:
      return std::log(static_cast<double>(classes));
    case LossKind::mse:
      return 1.0;
  }
  throw std::invalid_argument("unknown loss kind");
}

}  // namespace featpipe::classify
