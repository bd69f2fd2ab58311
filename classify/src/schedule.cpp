#include "featpipe/classify/schedule.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "featpipe/core/format.h"

namespace featpipe::classify {
std::optional<std::string> validate(const ScheduleParams& p) {
  if (p.step_epochs < 1) return "step_epochs must be >= 1";
  if (!(p.gamma > 0 && p.gamma <= 1)) return "gamma must be in (0, 1]";
  if (!(p.min_lr >= 0) || !std::isfinite(p.min_lr)) return "min_lr must be a number >= 0";
  return std::nullopt;
}

const Registry<ScheduleKind>& schedule_registry() {
  const ScheduleParams d;
  const ParamHelp gamma{"gamma", format_number(d.gamma), "factor per step (step) or per epoch (exp)"};
  static const Registry<ScheduleKind> registry(
      "schedule", {{"constant", "the same rate every epoch", {}, ScheduleKind::constant},
                   {"step",
                    "lr gamma^floor(epoch / step_epochs)",
                    {{"step-epochs", std::to_string(d.step_epochs), "epochs between decays"}, gamma},
                    ScheduleKind::step},
                   {"exp", "lr gamma^epoch", {gamma}, ScheduleKind::exp},
                   {"cosine",
                    "min_lr + (lr - min_lr) (1 + cos(pi epoch / epochs)) / 2",
                    {{"min-lr", format_number(d.min_lr), "the rate after the last epoch"}},
                    ScheduleKind::cosine}});
  return registry;
}

ScheduleKind parse_schedule(const std::string& name) { return schedule_registry().at(name).value; }

std::string to_string(ScheduleKind kind) { return schedule_registry().entry_of(kind).name; }

double learning_rate(const ScheduleParams& p, double lr, int epoch, int epochs) {
  switch (p.kind) {
    case ScheduleKind::constant:
      return lr;
    case ScheduleKind::step:
      return lr * std::pow(p.gamma, epoch / p.step_epochs);
    case ScheduleKind::exp:
      return lr * std::pow(p.gamma, epoch);
    case ScheduleKind::cosine:
      return p.min_lr + (lr - p.min_lr) * (1 + std::cos(std::numbers::pi * epoch / std::max(epochs, 1))) / 2;
  }
  throw std::invalid_argument("unknown schedule kind");
}

}  // namespace featpipe::classify
