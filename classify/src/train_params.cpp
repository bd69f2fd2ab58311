#include <cmath>
#include <sstream>

#include "batch_gradient.h"
#include "featpipe/classify/trainer.h"
#include "featpipe/core/format.h"

namespace featpipe::classify {

std::optional<std::string> validate(const TrainParams& p) {
  if (auto e = validate(p.loss)) return "loss: " + *e;
  if (auto e = validate(p.reg)) return "regulariser: " + *e;
  if (auto e = validate(p.optimizer)) return "optimizer: " + *e;
  if (auto e = validate(p.schedule)) return "schedule: " + *e;
  if (!(p.lr > 0) || !std::isfinite(p.lr)) return "lr must be a positive number";
  if (p.schedule.kind == ScheduleKind::cosine && p.schedule.min_lr > p.lr) {
    return "min_lr " + format_number(p.schedule.min_lr) + " is above lr " + format_number(p.lr) +
           ": the cosine schedule would raise the rate instead of lowering it";
  }
  if (p.epochs < 1 && p.iterations <= 0) return "epochs must be >= 1 (or iterations > 0)";
  if (p.iterations < 0) return "iterations must be >= 0";
  if (p.batch < 1 || p.batch > BlockPool::kMaxBlocks * BatchGradient::kRowsPerBlock) {
    return "batch must be in [1, " + std::to_string(BlockPool::kMaxBlocks * BatchGradient::kRowsPerBlock) +
           "]";
  }
  if (!(p.dropout >= 0 && p.dropout < 1)) return "dropout must be in [0, 1)";
  if (p.early_stop < 0) return "early_stop must be >= 0";
  if (!(p.init_scale >= 0) || !std::isfinite(p.init_scale)) return "init_scale must be a number >= 0";
  return std::nullopt;
}

std::optional<std::string> initial_loss_warning(double loss, double expected) {
  if (std::abs(loss - expected) <= 0.1 * std::abs(expected)) return std::nullopt;
  std::ostringstream msg;
  msg << "initial loss " << loss << " is more than 10% away from the expected " << expected
      << " for near-zero weights: check the features and the loss";
  return msg.str();
}

}  // namespace featpipe::classify
