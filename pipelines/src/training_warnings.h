#pragma once
// Private: which of the guard rails of classify/guard_rails.h a train or sweep run trips (training.h).
#include <cstdint>
#include <string>
#include <vector>

#include "featpipe/classify/trainer.h"
#include "featpipe/pipelines/training.h"

namespace featpipe::pipelines {

/// A run of train: too few updates, too small a validation set (val_rows 0: none given), divergence.
std::vector<std::string> train_warnings(const classify::TrainParams& p, uint64_t train_rows,
                                        uint64_t val_rows, const classify::TrainHistory& history);

/// A sweep, runs ranked best first: too few updates, too small a validation set or a grid whose runs all lie
/// within the noise of the best, the best on the edge of a range, a diverged best and how many runs diverged.
std::vector<std::string> sweep_warnings(const classify::TrainParams& base, uint64_t train_rows,
                                        uint64_t val_rows, const std::vector<SweepRun>& ranked,
                                        const std::vector<double>& lrs, const std::vector<double>& lambdas);

}  // namespace featpipe::pipelines
