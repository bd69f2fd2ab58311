#pragma once
// Private: the training options shared by `train` and `sweep` (model, objective, optimiser, schedule,
// loop), their translation into classify::TrainParams, and the checks of the stores they train on (the
// provenance a model records: featpipe/pipelines/model_provenance.h).
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "featpipe/classify/trainer.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/model_provenance.h"

namespace featpipe::pipelines {

/// Option values; the defaults are classify::TrainParams'.
struct TrainArgs {
  classify::TrainParams params;
  std::string loss = classify::to_string(params.loss.kind);
  std::string reg = classify::to_string(params.reg.kind);
  std::string optimizer = classify::to_string(params.optimizer.kind);
  std::string schedule = classify::to_string(params.schedule.kind);
  std::string max_memory;  // "512M", "2G", bytes; empty: no limit
};

/// Every option of TrainArgs. with_lr_lambda: also --lr and --lambda (sweep takes ranges instead).
void add_train_options(po::options_description& options, TrainArgs& args, bool with_lr_lambda);

/// Resolves names and sizes and validates; InputError naming the option on a bad value.
classify::TrainParams train_params(const TrainArgs& args, uint64_t seed);

/// "1073741824", "512M", "2G" (powers of 1024); InputError naming option otherwise.
uint64_t parse_bytes(const std::string& text, const std::string& option);

/// What a feature matrix is, for refusing to mix stores: feature spec (from provenance, empty when not
/// recorded), dimension and class names.
struct FeatureSignature {
  std::string path;
  std::string features;
  uint64_t dim = 0;
  std::vector<std::string> class_names;
};

FeatureSignature signature(const std::string& path, const nlohmann::json& provenance, uint64_t dim,
                           const std::vector<std::string>& class_names);

/// InputError naming `other`'s file when its feature spec, dimension or classes differ from `reference`,
/// naming both values.
void check_same_features(const FeatureSignature& reference, const FeatureSignature& other);

/// InputError naming `other`'s file when its classes differ from `reference`'s.
void check_same_classes(const FeatureSignature& reference, const FeatureSignature& other);

/// {option, path} for each path of each option, in order: the inputs check_output_path keeps an output from
/// replacing.
std::vector<std::pair<std::string, std::string>> option_paths(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& options);

/// The paths joined by ',': stores side by side, as messages and compare's --test name them.
std::string join_paths(const std::vector<std::string>& paths);

/// The paths of a list joined by ',' (join_paths); a path without ',' alone.
std::vector<std::string> split_paths(const std::string& list);

/// Each warning of a run (classify/guard_rails.h) on stderr as "featpipe COMMAND: warning: ..." (console.h:
/// silent under -q, which prints errors only; the model's provenance keeps them for the compare report).
void print_warnings(const std::vector<std::string>& warnings);

/// The model's class for every row of the store at path; InputError naming the file on NaN or infinite
/// features.
std::vector<int32_t> predict_store(const classify::LinearModel& model, const classify::RowSource& store,
                                   const std::string& path);

}  // namespace featpipe::pipelines
