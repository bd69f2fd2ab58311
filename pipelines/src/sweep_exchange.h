#pragma once
// Private: what the ranks of a sweep exchange (training.h, sweep_stores): how each rank's runs went, and the
// best run's model from the rank that trained it.
#include <span>
#include <vector>

#include "featpipe/classify/trainer.h"
#include "featpipe/core/collective.h"
#include "featpipe/pipelines/training.h"

namespace featpipe::pipelines {

/// Every rank's runs, concatenated in rank order, on every rank.
std::vector<SweepRun> gather_runs(const Collective& job, std::span<const SweepRun> mine);

/// root's result (model weights and history) in `result` on every rank.
void broadcast_result(const Collective& job, classify::TrainResult& result, int root);

}  // namespace featpipe::pipelines
