#pragma once
// The train and sweep stages: a linear classifier trained on feature stores and written as a model store
// with its history and provenance. Both read, check and (for sweep) standardise the stores here; the
// commands only parse options and print.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/classify/trainer.h"
#include "featpipe/core/collective.h"
#include "featpipe/core/stage_observer.h"

namespace featpipe::pipelines {

/// What training starts from, once the stores are open and checked.
struct TrainStart {
  uint64_t rows = 0, dim = 0;
  int classes = 0;
  const classify::TrainState* resumed = nullptr;  // the checkpoint's state when one is resumed
};

struct TrainStageOptions {
  std::vector<std::string> val;  // validation stores (as many as the training stores, in the same order):
                                 // accuracy per epoch, early stopping; empty for none
  int checkpoint_every = 0;      // write out + ".checkpoint" after every N epochs (0: never)
  bool resume = false;           // continue from out + ".checkpoint" when it exists (same options and data)
  std::function<void(const TrainStart&)> on_start;  // called before the first update
  bool allow_overlap = false;  // accept a val store showing images of the training store (store_overlap.h)
};

struct TrainStageResult {
  classify::TrainResult result;  // model with its class names, history
  uint64_t rows = 0, dim = 0;
  int classes = 0;
  std::optional<classify::TrainState> resumed_from;  // the checkpoint's state when one was resumed
  double seconds = 0;
  std::vector<std::string> warnings;  // classify/guard_rails.h, as recorded in the model's provenance
};

/// Trains on the stores at train_paths and writes the model to `out`: one store, or several stores of the
/// same rows whose features are taken side by side (their columns concatenated, in order; the model
/// records every store, model_provenance.h). The observer sees one phase counting
/// training rows; `events` (initial loss, epochs, checkpoints) is called as training goes, after the stage's
/// own checkpoint writing. InputError naming the file or option on bad input (mismatched stores, a
/// checkpoint of another run), RunError when training diverges.
///
/// job: the ranks sharing each minibatch (classify::train). Every rank reads the stores (and a checkpoint
/// to resume) itself and trains the same bits; rank 0 alone writes the checkpoints and the model, which
/// are the same for any rank count, so a checkpoint of one job resumes in a job of any size.
TrainStageResult train_store(const std::vector<std::string>& train_paths, const classify::TrainParams& params,
                             const std::string& out, const TrainStageOptions& options,
                             const classify::TrainObserver& events, StageObserver& observer,
                             const Collective& job = single_process());

/// One point of a sweep's grid and how it went.
struct SweepRun {
  double lr = 0, lambda = 0;
  bool trained = false;  // false: the run failed (error)
  double val_acc = -1;   // validation accuracy of the kept epoch; -1 when the run failed
  float train_acc = 0;   // of the last epoch
  float loss = 0;        // objective of the last minibatch
  std::string error;     // why the run failed (diverged)
  std::string diverged;  // why a trained run counts as diverged (classify::divergence), or empty
  double seconds = 0;
};

struct SweepResult {
  std::vector<SweepRun> runs;         // best first (sweep_order)
  classify::TrainResult best;         // the best run's (runs.front()) model, as written to out, and history
  std::vector<std::string> warnings;  // classify/guard_rails.h, as recorded in the model's provenance
};

/// The order of a sweep's runs, best first: higher validation accuracy; among equal accuracies the smaller
/// learning rate, then the larger lambda (the gentler step and the stronger regularisation, which
/// generalise more reliably at equal accuracy); failed runs last. Deterministic: no two grid points
/// share both values.
bool sweep_order(const SweepRun& a, const SweepRun& b);

/// Every (lr, lambda) of the grid trained on train_paths (one store or several side by side, as
/// train_store), ranked by accuracy on val_paths (as many, in the same order; which may show
/// none of the training images unless allow_overlap: store_overlap.h); the stores are read
/// and standardised once and shared by all runs, which are spread over the threads one thread each, so
/// every run equals `train` with its values on one thread. Writes the best run's model to `out`. RunError
/// when every run failed.
///
/// job: the ranks sharing the runs, each taking its rank_share of them in grid order (every rank reads
/// and standardises the stores itself). The runs' outcomes are gathered, every rank ranks them alike, the
/// best run's rank sends its model, and rank 0 alone writes it: the same store as one process's. Every
/// rank returns the same result.
SweepResult sweep_stores(const std::vector<std::string>& train_paths,
                         const std::vector<std::string>& val_paths, const std::vector<double>& lrs,
                         const std::vector<double>& lambdas, const classify::TrainParams& base,
                         const std::string& out, StageObserver& observer,
                         const Collective& job = single_process(), bool allow_overlap = false);

/// steps values from low to high (0 < low <= high), evenly spaced in log.
std::vector<double> log_grid(double low, double high, int steps);

}  // namespace featpipe::pipelines
