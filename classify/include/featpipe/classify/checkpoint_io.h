#pragma once
// Checkpoint stores (kind "checkpoint"): a training run's TrainState after a finished epoch, and what the
// run was started with (`run`: the command's params and inputs, checked on resume). Written to a temporary
// name and renamed when complete, so a checkpoint is either whole or absent.
//
//   /params, /best_params (when early stopping has one), /optimizer/<i>   float32, [W row-major, b]
//   /history/loss, /history/train_acc, /history/val_acc, /history/lr      as in a model
//   provenance: {"run": ..., "state": {epochs_done, iteration, optimizer_steps, rng, best_val, ...}}
#include <nlohmann/json.hpp>
#include <string>

#include "featpipe/classify/trainer.h"

namespace featpipe::classify {

struct CheckpointFile {
  TrainState state;
  nlohmann::json run;
};

/// InputError on an unwritable path.
void save_checkpoint(const std::string& path, const TrainState& state, const nlohmann::json& run);

/// InputError naming the file when it is not a checkpoint store or is inconsistent.
CheckpointFile load_checkpoint(const std::string& path);

}  // namespace featpipe::classify
