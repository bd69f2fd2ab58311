#include "featpipe/classify/schedule.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace featpipe::classify {
namespace {

struct NamedSchedule {
  ScheduleKind kind;
  const char* name;
};

constexpr NamedSchedule kSchedules[] = {{ScheduleKind::constant, "constant"},
                                        {ScheduleKind::step, "step"},
                                        {ScheduleKind::exp, "exp"},
                                        {ScheduleKind::cosine, "cosine"}};

}  // namespace

std::optional<std::string> validate(const ScheduleParams& p) {
  if (p.step_epochs < 1) return "step_epochs must be >= 1";
  if (!(p.gamma > 0 && p.gamma <= 1)) return "gamma must be in (0, 1]";
  if (!(p.min_lr >= 0) || !std::isfinite(p.min_lr)) return "min_lr must be a number >= 0";
  return std::nullopt;
}

ScheduleKind parse_schedule(const std::string& name) {
  std::string names;
  for (const NamedSchedule& s : kSchedules) {
    if (name == s.name) return s.kind;
    names += names.empty() ? s.name : std::string(", ") + s.name;
  }
  throw std::invalid_argument("unknown schedule '" + name + "'; known: " + names);
}

std::string to_string(ScheduleKind kind) {
  for (const NamedSchedule& s : kSchedules) {
    if (s.kind == kind) return s.name;
  }
  throw std::invalid_argument("unknown schedule kind");
}

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
