#include "featpipe/classify/loss.h"

#include <cmath>
#include <stdexcept>

#include "featpipe/core/format.h"

namespace featpipe::classify {

std::optional<std::string> validate(const LossParams& p) {
  if (!(p.delta > 0) || !std::isfinite(p.delta)) return "delta must be a positive number";
  return std::nullopt;
}

const Registry<LossKind>& loss_registry() {
  const std::string delta = format_number(LossParams{}.delta);
  static const Registry<LossKind> registry(
      "loss",
      {{"svm", "multiclass hinge (Weston & Watkins, CS231n)", {{"delta", delta, "margin"}}, LossKind::svm},
       {"squared-hinge", "multiclass squared hinge", {{"delta", delta, "margin"}}, LossKind::squared_hinge},
       {"softmax", "cross-entropy of the softmax", {}, LossKind::softmax},
       {"mse", "squared error to one-hot targets", {}, LossKind::mse}});
  return registry;
}

LossKind parse_loss(const std::string& name) { return loss_registry().at(name).value; }

std::string to_string(LossKind kind) { return loss_registry().entry_of(kind).name; }

std::vector<LossKind> all_losses() {
  std::vector<LossKind> kinds;
  for (const auto& entry : loss_registry()) kinds.push_back(entry.value);
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
