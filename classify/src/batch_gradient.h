#pragma once
// Private: the objective and its gradient on one minibatch, the trainer's inner step. The minibatch is
// cut into blocks of kRowsPerBlock rows; each block computes scores, the data loss and its share of the
// gradient (row_kernels.h, on the rows in place, or on a copy when dropout masks them); the shares are
// then summed in block order. All buffers are allocated once.
//
// Rows are floats, or bytes (byte_rows.h) for up to kNarrowMaxClasses classes without dropout: the model
// then sees z = code * scale + offset per column, and since the scores are linear in z the step computes
// them from the codes with the folded weights Wt * scale and bias b + Wt offset, and takes dWt back
// through the same map, at the cost of two passes over the weights.
//
// The passes over the parameters (summing the blocks' gradients with the penalty, the optimiser's update,
// and the fold for byte rows) run on the step's threads too, each thread on its group of rows of the
// weights, step after step (BlockPool gives the caller the first group and a helper the second), so that
// a group's optimiser state and folded weights stay in one core's cache: a step then moves half the
// weights between the cores, not all of them and the blocks' gradients too (a measurable part of a step:
// docs/performance.md). The penalty is
// summed over the groups in order, so that the result does not depend on which thread took which group.
//
// The ranks of a job (core/collective.h) share each minibatch's blocks: every rank draws the same
// minibatches and computes the blocks of its rank_share of them into their records (gradient share, data
// loss, correct rows). A reduce-scatter then sums them: rank t receives slice t of every block's gradient
// (all_to_all) and sums it in block order, each parameter as one process sums it; the summed slices and the
// blocks' totals are gathered on every rank, which adds the penalty once and takes the same optimiser
// step. The parameters are the same bits on every rank, and the same as one process's, which computes
// every block itself and exchanges nothing; a rank sends its blocks' gradients once and its slice once per
// step, whatever the number of ranks (step_bytes_sent). Dropout masks are keyed by the block, never by
// the rank.
//
// Parameters live in the kernels' layout, then b: for up to kNarrowMaxClasses classes Wt [C, D] row-major
// and b [C] (narrow_kernels.h), otherwise W [D, padded] row-major and b [padded] (row_kernels.h); pack()
// and unpack() convert from and to W [D, C], b [C].
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "block_pool.h"
#include "byte_rows.h"
#include "featpipe/classify/optimizer.h"
#include "featpipe/classify/trainer.h"
#include "featpipe/core/collective.h"
#include "featpipe/core/matrix.h"
#include "featpipe/core/scratch.h"

namespace featpipe::classify {

class BatchGradient {
 public:
  // The default minibatch of 256 is one block per thread of two: fewer gradients to move between the
  // cores and sum than with 64 (faster: docs/performance.md), for a coarser share of the work.
  static constexpr int64_t kRowsPerBlock = 128;

  /// threads: of the step (see BlockPool). job: the ranks sharing the steps, each with a BatchGradient of
  /// the same arguments making the same calls.
  BatchGradient(const TrainParams& p, int64_t dim, int classes, int threads,
                const Collective& job = single_process());

  /// Classes as the kernels' layout stores them (the row kernels pad them to whole SIMD vectors).
  static int64_t layout_classes(int classes);
  /// Floats of a block's record in the exchange: its gradient (param_size floats), its data loss (a double)
  /// and its correct rows (an int64), rounded up to 64 bytes so that every record starts a cache line.
  static int64_t record_floats(int64_t param_size) { return (param_size + 4 + 15) / 16 * 16; }

  Eigen::Index param_size() const { return (dim_ + 1) * padded_; }
  void pack(const RowMatrix<float>& W, const RowVector<float>& b, Eigen::VectorXf& params) const;
  void unpack(const Eigen::VectorXf& params, RowMatrix<float>& W, RowVector<float>& b) const;
  /// A parameter-shaped vector to and from [W row-major [D, C], then b [C]] (TrainState's layout).
  Eigen::VectorXf to_portable(const Eigen::VectorXf& params) const;
  Eigen::VectorXf from_portable(const Eigen::VectorXf& portable) const;

  struct Result {
    double data_loss = 0;  // mean over the minibatch
    double penalty = 0;
    int64_t correct = 0;  // rows whose highest score is their label
  };

  /// rows / labels: the loaded chunk; batch: indices into it (at most p.batch). Block k of the minibatch
  /// draws its dropout mask from item dropout_item + k, so minibatches give items 2^20 apart.
  Result compute(ConstMatrixView<float> rows, Labels labels, std::span<const int64_t> batch,
                 const Eigen::VectorXf& params, uint64_t dropout_item, Eigen::VectorXf& grad);
  /// The same on byte rows, which the model sees through affine (narrow layouts without dropout only:
  /// std::logic_error otherwise).
  Result compute(const ByteRows& rows, const ByteAffine& affine, Labels labels,
                 std::span<const int64_t> batch, const Eigen::VectorXf& params, Eigen::VectorXf& grad);

  /// optimizer's step on params (of this layout) with grad and learning rate lr, each group of rows on
  /// its thread; false when a parameter is no longer finite.
  bool update(Optimizer& optimizer, Eigen::VectorXf& params, const Eigen::VectorXf& grad, float lr);

 private:
  void compute_block(int64_t k);
  /// Block k's record: its gradient, then its BlockTotals.
  float* record(int64_t k) { return records_.data() + k * record_floats_; }
  const float* record(int64_t k) const { return records_.data() + k * record_floats_; }
  /// The other ranks' records of the step's first `blocks` blocks, this rank's being [first, last).
  void exchange_records(int64_t blocks, int64_t first, int64_t last);
  /// Parameter i of the first `blocks` blocks' gradients, summed in block order.
  float block_sum(int64_t i, int64_t blocks) const;
  /// The rows of the weights in group g: [begin, end).
  std::pair<int64_t, int64_t> group_rows(int64_t g) const;
  /// grad's weights of group g: the blocks' gradients summed (and taken back through affine_), plus the
  /// penalty, whose value goes to group_penalty_[g]. grad's bias is already summed.
  void reduce_group(int64_t g);
  /// folded_'s rows and bias of group g from params_in_ and affine_ (narrow layout).
  void fold_group(int64_t g);

  /// The weights within params (of the layout's shape).
  Eigen::Map<const RowMatrix<float>> weights(const float* params) const;

  /// What a block's record holds after its gradient.
  struct BlockTotals {
    double loss;      // mean data loss of the block's rows
    int64_t correct;  // rows whose highest score is their label
  };
  static_assert(sizeof(BlockTotals) == 4 * sizeof(float));
  BlockTotals totals(int64_t k) const;

  /// The buffers of a block this rank computes (one per block of its share of a full minibatch).
  struct Block {
    std::vector<const float*> rows;
    std::vector<const uint8_t*> codes;  // the rows, when they are bytes
    RowMatrix<float> masked;            // the rows after dropout
    RowMatrix<float> scores, dscores;   // [kRowsPerBlock, padded]
    std::vector<int32_t> labels;
  };

  /// Scores, loss and gradient share of the block's first count rows (of floats or bytes), into record.
  template <typename T>
  void block_gradient(Block& blk, std::vector<const T*>& rows, int64_t count, float share, float* record);
  /// Runs the blocks of the minibatch (rows set up by compute) and sums their losses, counts and gradients,
  /// in block order, then adds the penalty on params' weights; with affine, the blocks computed on byte
  /// rows with the folded weights.
  Result run_blocks(Labels labels, std::span<const int64_t> batch, const Eigen::VectorXf& params,
                    const ByteAffine* affine, Eigen::VectorXf& grad);

  LossParams loss_;
  RegParams reg_;
  double dropout_;
  uint64_t seed_;
  int64_t dim_, classes_;
  bool narrow_;     // Wt [C, D] and narrow_kernels.h, else W [D, padded] and row_kernels.h
  int64_t padded_;  // classes as the kernels store them: a row of scores, b
  const Collective* job_;
  std::vector<Block> blocks_;  // block k of the step in blocks_[k - first_block_]
  int64_t first_block_ = 0;
  int64_t record_floats_;
  // every block's record, in block order, as one process computes them; after the ranks' exchange
  // (summed_), record 0's gradient is every block's summed and all_totals_ holds the blocks' totals
  std::vector<float, CacheLineAllocator<float>> records_;
  bool summed_ = false;
  std::vector<BlockTotals> all_totals_;
  int64_t records_to_sum_ = 0;  // records reduce_group sums: the step's blocks, or 1 once summed

  // the step being computed, read by compute_block
  const float* rows_ = nullptr;
  const uint8_t* codes_ = nullptr;  // byte rows instead of rows_
  int64_t row_stride_ = 0;
  Labels labels_;
  std::span<const int64_t> batch_;
  const float* params_ = nullptr;
  uint64_t dropout_item_ = 0;
  Eigen::VectorXf folded_;                      // byte rows: the parameters folded with the affine map
  const Eigen::VectorXf* params_in_ = nullptr;  // the parameters of the step (params_ may be folded_)
  Eigen::VectorXf* grad_out_ = nullptr;
  const ByteAffine* affine_ = nullptr;

  int64_t row_length_;  // floats in a row of the weights: dim_ (narrow) or padded_
  int64_t groups_, group_rows_;
  std::vector<double> group_penalty_;
  std::vector<uint8_t> group_finite_;

  BlockPool pool_;
};

}  // namespace featpipe::classify
