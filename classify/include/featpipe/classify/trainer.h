#pragma once
// Minibatch training of a linear classifier: objective = mean data loss + penalty on W, one update per
// minibatch. Each minibatch is cut into fixed blocks of 128 rows; blocks compute scores, dL/dS and their
// share of dW = X^T dS in parallel, on the threads and on the ranks of a job, and the shares are summed in
// block order, so the result depends on (params, data, seed) only, never on the number of threads or ranks.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/classify/linear_model.h"
#include "featpipe/classify/loss.h"
#include "featpipe/classify/optimizer.h"
#include "featpipe/classify/regularizer.h"
#include "featpipe/classify/row_source.h"
#include "featpipe/classify/schedule.h"
#include "featpipe/core/collective.h"

namespace featpipe::classify {

struct TrainParams {
  LossParams loss;
  RegParams reg;
  OptimizerParams optimizer{OptimizerKind::adam};  // adam at lr 1e-3 needs no tuning on standardised
                                                   // features
  ScheduleParams schedule{ScheduleKind::cosine};   // annealed towards min_lr over the epochs
  double lr = 1e-3;                                // base learning rate (the schedule scales it per epoch)
  int epochs = 10;                                 // passes over the training rows
  int64_t iterations = 0;         // > 0: stop after this many updates instead; epochs = ceil(iterations /
                                  // minibatches per epoch) then, the last one partial
  int batch = 256;                // rows per minibatch, one update each
  bool with_replacement = false;  // draw minibatch rows uniformly with replacement instead of shuffling
  double dropout = 0;             // input dropout probability, in [0, 1)
  int early_stop = 0;             // > 0 (needs val): stop after this many epochs without a better val
                                  // accuracy and keep the best epoch's weights
  double init_scale = 0.001;      // W ~ init_scale * N(0, 1), b = 0
  bool standardize = true;        // false: rows are used as given (already standardised, e.g. shared by
                                  // the runs of a sweep) and the model's preprocess is the identity
  uint64_t max_memory = 0;        // bytes of rows held in memory; 0: half the available memory for rows on
                            // disk (MemAvailable), no limit for rows in memory. When train (+ val) do not
                            // fit, rows are streamed in chunks: each epoch visits the chunks in a
                            // seeded random order and shuffles rows within each chunk
  bool byte_rows = true;  // training rows whose values are all 8-bit codes k / 255 (raw pixels) or k are
                          // held as the bytes k when the bytes fit max_memory (for up to 12 classes,
                          // without dropout): a quarter of the memory and of the bytes each epoch reads.
                          // Lossless; the model differs from false's only by float rounding
  uint64_t seed = 0;      // initial weights, shuffling, dropout
};

std::optional<std::string> validate(const TrainParams& p);

/// Feature rows (raw; the trainer standardises them) with one label per row.
struct LabelledRows {
  const RowSource* features = nullptr;
  Labels labels;
  std::string name =
      {};  // in error messages, e.g. the store's path; "training set" / "validation set" if empty
};

struct EpochStats {
  int epoch = 0;          // 1-based
  int64_t iteration = 0;  // updates so far
  double loss = 0;        // mean objective over the epoch's minibatches
  double train_acc = 0;   // accuracy of the minibatch scores seen during the epoch (before each update)
  double val_acc = -1;    // after the epoch; -1 without val
  double lr = 0;
  double seconds = 0;  // wall time of the epoch
};

struct TrainHistory {
  std::vector<float> loss;       // objective per iteration
  std::vector<float> train_acc;  // per epoch (EpochStats::train_acc)
  std::vector<float> val_acc;    // per epoch; empty without val
  std::vector<float> lr;         // per epoch
  double initial_loss = 0;       // data loss of the first minibatch at the initial weights
  double expected_initial_loss = 0;
  int best_epoch = 0;  // the epoch whose weights the model holds
  bool stopped_early = false;
};

/// Everything training needs to continue after a finished epoch exactly as if it had never stopped (the
/// standardisation is recomputed from the same training rows). Parameter-shaped vectors are [W row-major
/// [D, C], then b [C]], independent of the kernels' layout.
struct TrainState {
  int epochs_done = 0;
  int64_t iteration = 0;
  Eigen::VectorXf params;
  std::vector<Eigen::VectorXf> optimizer;  // Optimizer::state_vectors(), in order
  int64_t optimizer_steps = 0;             // Optimizer::step_count(), 0 when it has none
  TrainHistory history;
  Eigen::VectorXf best_params;  // early stopping: the best epoch's weights so far (empty before any)
  double best_val = -1;
  int epochs_since_best = 0;
  double first_objective = 0;  // the divergence check's reference
};

struct TrainObserver {
  std::function<void(double loss, double expected)> initial_loss;  // before the first update
  std::function<void(uint64_t rows)> progress;                     // rows consumed by each update
  std::function<void(const EpochStats&)> epoch_end;
  /// Called after every checkpoint_every-th epoch except the last (the model follows it).
  int checkpoint_every = 0;
  std::function<void(const TrainState&)> checkpoint;
};

struct TrainResult {
  LinearModel model;  // class_names left empty for the caller
  TrainHistory history;
  float byte_divisor = 0;  // > 0: the training rows were held as bytes k, their values k / byte_divisor
};

/// Trains on train (and reports / early-stops on val when given). Throws std::invalid_argument on
/// invalid params, empty or mismatched inputs, or a label outside [0, classes); RunError (the command
/// exits 3) when the training diverges: the loss or the weights stop being finite, or the objective grows
/// to 10^4 times that of the first minibatch. The message names the epoch and iteration and advises a
/// lower --lr. resume: continue from a checkpoint taken with the same params and data (std::invalid_argument
/// when its shapes do not fit them).
///
/// job: the ranks sharing each step's blocks (the data-parallel SGD of DESIGN.md). Every rank calls train
/// with the same arguments (each reads the rows it needs from train itself) and gets the same result, the
/// same bits as one process's; the observer is called alike on every rank, so only one of them should
/// write what it is given (checkpoints). Steps of fewer blocks than ranks leave the last ranks idle: a
/// larger batch spreads further. RunError when the ranks do not train the same run (rows, options,
/// layout or resumed state differ).
TrainResult train(const TrainParams& p, const LabelledRows& train, const LabelledRows* val, int classes,
                  const TrainObserver& observer = {}, const TrainState* resume = nullptr,
                  const Collective& job = single_process());

/// The bytes a rank of a job of `size` ranks sends in each training step of batch_rows rows: for each block
/// of 128 rows it computes (rank_share of ceil(batch_rows / 128) blocks), its loss and count (16 bytes) and
/// its gradient of every parameter, (dim + 1) x padded classes floats (padded to whole SIMD vectors above
/// 12 classes), but the rank's own slice (rank_share of the parameters); then its summed slice. 0 for one
/// process, which exchanges nothing.
uint64_t step_bytes_sent(int64_t dim, int classes, int64_t batch_rows, int rank, int size);

/// A warning when the initial loss is more than 10% away from the expected one (weights not small,
/// features not standardised, or a loss bug); nullopt otherwise.
std::optional<std::string> initial_loss_warning(double loss, double expected);

}  // namespace featpipe::classify
