#include "batch_gradient.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "featpipe/classify/dropout.h"
#include "featpipe/classify/finite_check.h"
#include "featpipe/classify/regularizer.h"
#include "featpipe/core/errors.h"
#include "linear_scores.h"
#include "narrow_kernels.h"
#include "row_kernels.h"
#include "simd_lanes.h"

namespace featpipe::classify {

int64_t BatchGradient::layout_classes(int classes) {
  return narrow_layout(classes) ? classes : padded_classes(classes);
}

BatchGradient::BatchGradient(const TrainParams& p, int64_t dim, int classes, int threads,
                             const Collective& job)
    : loss_(p.loss),
      reg_(p.reg),
      dropout_(p.dropout),
      seed_(p.seed),
      dim_(dim),
      classes_(classes),
      narrow_(narrow_layout(classes)),
      padded_(layout_classes(classes)),
      job_(&job),
      record_floats_(record_floats(param_size())),
      row_length_(narrow_ ? dim : padded_),
      pool_(threads) {
  const int64_t weight_rows = narrow_ ? classes_ : dim_;
  // Two groups whatever the thread count, so that the arithmetic and so the result is the same for any:
  // with two threads or more the caller takes group 0 and a helper group 1.
  groups_ = std::min<int64_t>(weight_rows, 2);
  group_rows_ = (weight_rows + groups_ - 1) / groups_;
  group_penalty_.resize(groups_);
  group_finite_.resize(groups_);
  const int64_t blocks = (p.batch + kRowsPerBlock - 1) / kRowsPerBlock;
  const int64_t rows = std::min<int64_t>(p.batch, kRowsPerBlock);
  records_.assign(static_cast<std::size_t>(blocks * record_floats_), 0.0f);
  // rank 0's share of a full minibatch is the largest any rank computes
  const auto [first, last] = rank_share(static_cast<std::size_t>(blocks), 0, job.size());
  blocks_.resize(last - first);
  for (Block& b : blocks_) {
    b.rows.resize(rows);
    b.codes.resize(rows);
    if (dropout_ > 0) b.masked.resize(rows, dim_);
    b.scores = RowMatrix<float>::Zero(rows, padded_);
    b.dscores = RowMatrix<float>::Zero(rows, padded_);
    b.labels.resize(rows);
  }
}

void BatchGradient::pack(const RowMatrix<float>& W, const RowVector<float>& b,
                         Eigen::VectorXf& params) const {
  params = Eigen::VectorXf::Zero(param_size());
  if (narrow_) {
    Eigen::Map<RowMatrix<float>>(params.data(), classes_, dim_) = W.transpose();
  } else {
    Eigen::Map<RowMatrix<float>>(params.data(), dim_, padded_).leftCols(classes_) = W;
  }
  params.segment(dim_ * padded_, classes_) = b.transpose();
}

void BatchGradient::unpack(const Eigen::VectorXf& params, RowMatrix<float>& W, RowVector<float>& b) const {
  if (narrow_) {
    W = weights(params.data()).transpose();
  } else {
    W = weights(params.data()).leftCols(classes_);
  }
  b = params.segment(dim_ * padded_, classes_).transpose();
}

Eigen::VectorXf BatchGradient::to_portable(const Eigen::VectorXf& params) const {
  RowMatrix<float> W;
  RowVector<float> b;
  unpack(params, W, b);
  Eigen::VectorXf portable(W.size() + b.size());
  Eigen::Map<RowMatrix<float>>(portable.data(), dim_, classes_) = W;
  portable.tail(classes_) = b.transpose();
  return portable;
}

Eigen::VectorXf BatchGradient::from_portable(const Eigen::VectorXf& portable) const {
  if (portable.size() != (dim_ + 1) * classes_) {
    throw std::invalid_argument("checkpoint holds " + std::to_string(portable.size()) + " parameters; " +
                                std::to_string(dim_) + " features x " + std::to_string(classes_) +
                                " classes need " + std::to_string((dim_ + 1) * classes_));
  }
  Eigen::VectorXf params;
  pack(Eigen::Map<const RowMatrix<float>>(portable.data(), dim_, classes_),
       portable.tail(classes_).transpose(), params);
  return params;
}

Eigen::Map<const RowMatrix<float>> BatchGradient::weights(const float* params) const {
  return narrow_ ? Eigen::Map<const RowMatrix<float>>(params, classes_, dim_)
                 : Eigen::Map<const RowMatrix<float>>(params, dim_, padded_);
}

void BatchGradient::compute_block(int64_t k) {
  Block& blk = blocks_[k - first_block_];
  const int64_t n = static_cast<int64_t>(batch_.size());
  const int64_t begin = k * kRowsPerBlock, count = std::min(kRowsPerBlock, n - begin);
  for (int64_t i = 0; i < count; ++i) blk.labels[i] = labels_[batch_[begin + i]];
  // the block's mean loss weighs count / n in the minibatch mean
  const float share = static_cast<float>(count) / static_cast<float>(n);
  if (codes_) {
    for (int64_t i = 0; i < count; ++i) blk.codes[i] = codes_ + batch_[begin + i] * row_stride_;
    block_gradient(blk, blk.codes, count, share, record(k));
    return;
  }
  for (int64_t i = 0; i < count; ++i) blk.rows[i] = rows_ + batch_[begin + i] * row_stride_;
  if (dropout_ > 0) {
    auto masked = blk.masked.topRows(count);
    for (int64_t i = 0; i < count; ++i) {
      masked.row(i) = Eigen::Map<const RowVector<float>>(blk.rows[i], dim_);
      blk.rows[i] = masked.row(i).data();
    }
    inverted_dropout(masked, dropout_, seed_, dropout_item_ + static_cast<uint64_t>(k));
  }
  block_gradient(blk, blk.rows, count, share, record(k));
}

template <typename T>
void BatchGradient::block_gradient(Block& blk, std::vector<const T*>& rows, int64_t count, float share,
                                   float* record) {
  const float* W = params_;
  const float* b = params_ + dim_ * padded_;
  if constexpr (std::is_same_v<T, float>) {
    if (narrow_) {
      narrow_forward(rows.data(), count, dim_, W, b, classes_, blk.scores.data());
    } else {
      rows_forward(rows.data(), count, dim_, W, b, padded_, blk.scores.data());
    }
  } else {
    narrow_forward(rows.data(), count, dim_, W, b, classes_, blk.scores.data());
  }
  auto scores = blk.scores.topRows(count).leftCols(classes_);
  BlockTotals totals{};
  for (int64_t i = 0; i < count; ++i) totals.correct += argmax<float>(scores.row(i)) == blk.labels[i];
  const Labels block_labels(blk.labels.data(), count);
  totals.loss = data_loss<float>(loss_, scores, block_labels, blk.dscores.topRows(count).leftCols(classes_));
  std::memcpy(record + param_size(), &totals, sizeof totals);
  // Rows with dL/dS = 0 (the margin losses' rows that meet every margin) add nothing to the gradient:
  // the backward pass skips them, keeping the others' rows and gradients in order.
  int64_t active = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (blk.dscores.row(i).isZero(0)) continue;
    rows[active] = rows[i];
    if (active != i) blk.dscores.row(active) = blk.dscores.row(i);
    ++active;
  }
  float* db = record + dim_ * padded_;
  if constexpr (std::is_same_v<T, float>) {
    if (narrow_) {
      narrow_backward(rows.data(), active, dim_, blk.dscores.data(), classes_, share, record, db);
    } else {
      rows_backward(rows.data(), active, dim_, blk.dscores.data(), padded_, share, record, db);
    }
  } else {
    narrow_backward(rows.data(), active, dim_, blk.dscores.data(), classes_, share, record, db);
  }
}

BatchGradient::BlockTotals BatchGradient::totals(int64_t k) const {
  if (summed_) return all_totals_[static_cast<std::size_t>(k)];
  BlockTotals t{};
  std::memcpy(&t, record(k) + param_size(), sizeof t);
  return t;
}

void BatchGradient::exchange_records(int64_t blocks, int64_t first, int64_t last) {
  summed_ = false;
  // One process computed every record in place: nothing to exchange (for many classes, a step's gradients
  // are tens of megabytes).
  if (job_->size() == 1) return;
  const int size = job_->size();
  // Every block's totals (its loss and correct rows) on every rank.
  std::vector<BlockTotals> mine_totals;
  for (int64_t k = first; k < last; ++k) mine_totals.push_back(totals(k));
  all_totals_ = all_gather<BlockTotals>(*job_, mine_totals);
  if (static_cast<int64_t>(all_totals_.size()) != blocks) {
    throw RunError(
        "training step: the ranks sent " + std::to_string(all_totals_.size()) + " blocks where " +
        std::to_string(blocks) +
        " were expected; every rank must train the same model at the same CPU level (FEATPIPE_CPU)");
  }
  // The reduce-scatter: rank t receives slice t of the gradient of every block, in block order (the ranks'
  // shares are contiguous and in rank order), and sums it in block order, each parameter as one process
  // sums it (block_sum); the summed slices are then gathered on every rank. A rank so sends its blocks'
  // gradients once and its summed slice once, whatever the number of ranks.
  const auto params = static_cast<std::size_t>(param_size());
  std::vector<std::vector<float>> to_each(static_cast<std::size_t>(size));
  for (int t = 0; t < size; ++t) {
    const auto [a, b] = rank_share(params, t, size);
    for (int64_t k = first; k < last; ++k) to_each[t].insert(to_each[t].end(), record(k) + a, record(k) + b);
  }
  const std::vector<float> slices = all_to_all<float>(*job_, to_each);
  const auto [a, b] = rank_share(params, job_->rank(), size);
  const std::size_t length = b - a;
  if (slices.size() != static_cast<std::size_t>(blocks) * length) {
    throw RunError(
        "training step: the ranks sent " + std::to_string(slices.size()) + " gradient values where " +
        std::to_string(blocks * static_cast<int64_t>(length)) +
        " were expected; every rank must train the same model at the same CPU level (FEATPIPE_CPU)");
  }
  std::vector<float> summed(slices.begin(), slices.begin() + static_cast<std::ptrdiff_t>(length));
  for (int64_t k = 1; k < blocks; ++k) {
    const float* block = slices.data() + k * static_cast<int64_t>(length);
    for (std::size_t i = 0; i < length; ++i) summed[i] += block[i];
  }
  const std::vector<float> gradient = all_gather<float>(*job_, summed);
  std::copy(gradient.begin(), gradient.end(), record(0));
  summed_ = true;
}

float BatchGradient::block_sum(int64_t i, int64_t blocks) const {
  float s = record(0)[i];
  for (int64_t k = 1; k < blocks; ++k) s += record(k)[i];
  return s;
}

std::pair<int64_t, int64_t> BatchGradient::group_rows(int64_t g) const {
  const int64_t weight_rows = narrow_ ? classes_ : dim_;
  return {g * group_rows_, std::min(weight_rows, (g + 1) * group_rows_)};
}

void BatchGradient::reduce_group(int64_t g) {
  const auto [first, last] = group_rows(g);
  const int64_t blocks = records_to_sum_;
  float* grad = grad_out_->data();
  // grad = the blocks' gradients summed in block order, and for byte rows taken back to the weights the
  // model sees: dWt[c, d] = scale[d] (sum_r g[r, c] code[r, d]) + offset[d] db[c]. Without affine the
  // group's rows are one run of floats.
  const ByteAffine* affine = affine_;
  const int64_t runs = affine ? last - first : 1;
  const int64_t length = affine ? row_length_ : (last - first) * row_length_;
  for (int64_t run = 0; run < runs; ++run) {
    const int64_t row = first + run;
    const int64_t start = affine ? row * row_length_ : first * row_length_;
    const float db = affine ? grad[dim_ * padded_ + row] : 0.0f;
    int64_t d = 0;
    for (; d + simd::kLanes <= length; d += simd::kLanes) {
      const int64_t i = start + d;
      simd::Lanes sum = simd::load(record(0) + i);
      for (int64_t k = 1; k < blocks; ++k) sum += simd::load(record(k) + i);
      if (affine)
        sum = sum * simd::load(affine->scale.data() + d) + simd::load(affine->offset.data() + d) * db;
      simd::store(grad + i, sum);
    }
    for (; d < length; ++d) {
      const int64_t i = start + d;
      const float sum = block_sum(i, blocks);
      grad[i] = affine ? sum * affine->scale[d] + affine->offset[d] * db : sum;
    }
  }
  const Eigen::Map<const RowMatrix<float>> W = weights(params_in_->data());
  Eigen::Map<RowMatrix<float>> dW(grad, W.rows(), W.cols());
  group_penalty_[g] =
      penalty<float>(reg_, W.middleRows(first, last - first), dW.middleRows(first, last - first));
}

BatchGradient::Result BatchGradient::run_blocks(Labels labels, std::span<const int64_t> batch,
                                                const Eigen::VectorXf& params, const ByteAffine* affine,
                                                Eigen::VectorXf& grad) {
  labels_ = labels;
  batch_ = batch;
  const int64_t n = static_cast<int64_t>(batch.size());
  const int64_t blocks = (n + kRowsPerBlock - 1) / kRowsPerBlock;
  const auto [first, last] = rank_share(static_cast<std::size_t>(blocks), job_->rank(), job_->size());
  first_block_ = static_cast<int64_t>(first);
  if (last > first) pool_.run(last - first, [this](int64_t i) { compute_block(first_block_ + i); });
  exchange_records(blocks, first_block_, static_cast<int64_t>(last));
  Result r;
  for (int64_t k = 0; k < blocks; ++k) {
    const int64_t count = std::min(kRowsPerBlock, n - k * kRowsPerBlock);
    const BlockTotals t = totals(k);
    r.data_loss += t.loss * static_cast<double>(count) / static_cast<double>(n);
    r.correct += t.correct;
  }
  grad.resize(param_size());
  // After the ranks' exchange, record 0 holds the blocks' gradients already summed in block order.
  records_to_sum_ = summed_ ? 1 : blocks;
  // the bias first: the byte rows' weights need it
  for (int64_t i = dim_ * padded_; i < param_size(); ++i) grad[i] = block_sum(i, records_to_sum_);
  params_in_ = &params;
  grad_out_ = &grad;
  affine_ = affine;
  pool_.run(groups_, [this](int64_t g) { reduce_group(g); });
  for (int64_t g = 0; g < groups_; ++g) r.penalty += group_penalty_[g];
  return r;
}

bool BatchGradient::update(Optimizer& optimizer, Eigen::VectorXf& params, const Eigen::VectorXf& grad,
                           float lr) {
  optimizer.begin_step();
  const int64_t weight_count = dim_ * padded_;
  optimizer.update(params.data(), grad.data(), lr, weight_count, param_size());
  bool finite =
      all_finite({params.data() + weight_count, static_cast<std::size_t>(param_size() - weight_count)});
  pool_.run(groups_, [&](int64_t g) {
    const auto [first, last] = group_rows(g);
    const int64_t begin = first * row_length_, end = last * row_length_;
    optimizer.update(params.data(), grad.data(), lr, begin, end);
    group_finite_[g] = all_finite({params.data() + begin, static_cast<std::size_t>(end - begin)});
  });
  for (int64_t g = 0; g < groups_; ++g) finite = finite && group_finite_[g];
  return finite;
}

BatchGradient::Result BatchGradient::compute(ConstMatrixView<float> rows, Labels labels,
                                             std::span<const int64_t> batch, const Eigen::VectorXf& params,
                                             uint64_t dropout_item, Eigen::VectorXf& grad) {
  rows_ = rows.data();
  codes_ = nullptr;
  row_stride_ = rows.outerStride();
  params_ = params.data();
  dropout_item_ = dropout_item;
  return run_blocks(labels, batch, params, nullptr, grad);
}

void BatchGradient::fold_group(int64_t g) {
  // scores = b + Wt z = (b + Wt offset) + (Wt * scale) code: folded_ is Wt * scale, then b + Wt offset
  const ByteAffine& affine = *affine_;
  const Eigen::VectorXf& params = *params_in_;
  const auto [first, last] = group_rows(g);
  for (int64_t c = first; c < last; ++c) {
    const float* w = params.data() + c * dim_;
    float* folded = folded_.data() + c * dim_;
    simd::Lanes dot = {};
    int64_t d = 0;
    for (; d + simd::kLanes <= dim_; d += simd::kLanes) {
      const simd::Lanes wd = simd::load(w + d);
      simd::store(folded + d, wd * simd::load(affine.scale.data() + d));
      dot += wd * simd::load(affine.offset.data() + d);
    }
    float bias = params[dim_ * classes_ + c];
    for (; d < dim_; ++d) {
      folded[d] = w[d] * affine.scale[d];
      bias += w[d] * affine.offset[d];
    }
    for (int64_t j = 0; j < simd::kLanes; ++j) bias += dot[j];
    folded_[dim_ * classes_ + c] = bias;
  }
}

BatchGradient::Result BatchGradient::compute(const ByteRows& rows, const ByteAffine& affine, Labels labels,
                                             std::span<const int64_t> batch, const Eigen::VectorXf& params,
                                             Eigen::VectorXf& grad) {
  if (!narrow_ || dropout_ > 0) {
    throw std::logic_error("BatchGradient: byte rows need a narrow layout and no dropout");
  }
  folded_.resize(param_size());
  params_in_ = &params;
  affine_ = &affine;
  pool_.run(groups_, [this](int64_t g) { fold_group(g); });

  rows_ = nullptr;
  codes_ = rows.codes.data();
  row_stride_ = static_cast<int64_t>(rows.dim);
  params_ = folded_.data();
  return run_blocks(labels, batch, params, &affine, grad);
}

uint64_t step_bytes_sent(int64_t dim, int classes, int64_t batch_rows, int rank, int size) {
  if (size <= 1) return 0;
  const int64_t blocks = (batch_rows + BatchGradient::kRowsPerBlock - 1) / BatchGradient::kRowsPerBlock;
  const auto [first, last] = rank_share(static_cast<std::size_t>(blocks), rank, size);
  const auto params = static_cast<std::size_t>((dim + 1) * BatchGradient::layout_classes(classes));
  const auto [a, b] = rank_share(params, rank, size);
  // its blocks' totals to the gather, their gradients but its own slice to the other ranks, its summed slice
  const uint64_t own = static_cast<uint64_t>(last - first);
  return own * 4 * sizeof(float) + own * (params - (b - a)) * sizeof(float) + (b - a) * sizeof(float);
}

}  // namespace featpipe::classify
