#pragma once
// Model stores (kind "model", DESIGN.md): /W float32 [D, C], /b [C], /preprocess/mean and /preprocess/std
// [D], /history/loss (per iteration), /history/train_acc, /history/val_acc and /history/lr (per epoch),
// /class_names, and provenance (hyperparameters and the training store's provenance).
#include <nlohmann/json.hpp>
#include <string>

#include "featpipe/classify/linear_model.h"
#include "featpipe/classify/trainer.h"

namespace featpipe::classify {

struct ModelFile {
  LinearModel model;
  TrainHistory history;  // loss, train_acc, val_acc and lr only
  nlohmann::json provenance;
};

/// Written to a temporary name and renamed when complete. InputError on an unwritable path.
void save_model(const std::string& path, const LinearModel& model, const TrainHistory& history,
                const nlohmann::json& provenance);

/// InputError naming the file when it is not a model store or its shapes disagree.
ModelFile load_model(const std::string& path);

}  // namespace featpipe::classify
