#pragma once
// Learning-rate schedules, evaluated once per epoch.
#include <optional>
#include <string>

#include "featpipe/core/registry.h"

namespace featpipe::classify {

enum class ScheduleKind { constant, step, exp, cosine };

struct ScheduleParams {
  ScheduleKind kind = ScheduleKind::constant;
  int step_epochs = 5;  // step: multiply by gamma every this many epochs
  double gamma = 0.5;   // step: factor per step; exp: factor per epoch
  double min_lr = 0;    // cosine: the rate reached after the last epoch
};

std::optional<std::string> validate(const ScheduleParams& p);

/// The schedule names (constant, step, exp, cosine) with their parameters.
const Registry<ScheduleKind>& schedule_registry();

/// A schedule_registry() name; std::invalid_argument listing the names otherwise.
ScheduleKind parse_schedule(const std::string& name);
std::string to_string(ScheduleKind kind);

/// The rate of epoch (0-based) of epochs:
///   constant lr; step lr gamma^floor(epoch / step_epochs); exp lr gamma^epoch;
///   cosine min_lr + (lr - min_lr) (1 + cos(pi epoch / epochs)) / 2.
double learning_rate(const ScheduleParams& p, double lr, int epoch, int epochs);

}  // namespace featpipe::classify
