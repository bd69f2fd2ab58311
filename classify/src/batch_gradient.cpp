#include "batch_gradient.h"

#include <algorithm>

#include "featpipe/classify/dropout.h"
#include "linear_scores.h"
#include "parallel_blocks.h"

namespace featpipe::classify {

BatchGradient::BatchGradient(const TrainParams& p, uint64_t dim, int classes)
    : loss_(p.loss), reg_(p.reg), dropout_(p.dropout), dim_(static_cast<int64_t>(dim)), classes_(classes) {
  const int64_t blocks = (p.batch + kRowsPerBlock - 1) / kRowsPerBlock;
  const int64_t rows = std::min<int64_t>(p.batch, kRowsPerBlock);
  blocks_.resize(blocks);
  for (Block& b : blocks_) {
    b.x.resize(rows, dim_);
    b.scores.resize(rows, classes_);
    b.dscores.resize(rows, classes_);
    b.labels.resize(rows);
    b.grad.resize((dim_ + 1) * classes_);
  }
}

BatchGradient::Result BatchGradient::compute(ConstMatrixView<float> rows, Labels labels,
                                             std::span<const int64_t> batch, const Eigen::VectorXf& params,
                                             uint64_t dropout_seed, Eigen::VectorXf& grad) {
  const int64_t n = static_cast<int64_t>(batch.size());
  const int64_t blocks = (n + kRowsPerBlock - 1) / kRowsPerBlock;
  const Eigen::Map<const RowMatrix<float>> W(params.data(), dim_, classes_);
  const Eigen::Map<const RowVector<float>> b(params.data() + dim_ * classes_, classes_);

  for_each_block(blocks, [&](int64_t k) {
    Block& blk = blocks_[k];
    const int64_t begin = k * kRowsPerBlock, count = std::min(kRowsPerBlock, n - begin);
    auto x = blk.x.topRows(count);
    for (int64_t i = 0; i < count; ++i) {
      x.row(i) = rows.row(batch[begin + i]);
      blk.labels[i] = labels[batch[begin + i]];
    }
    inverted_dropout(x, dropout_, dropout_seed + static_cast<uint64_t>(k));
    auto scores = blk.scores.topRows(count);
    auto dscores = blk.dscores.topRows(count);
    forward_scores<float>(x, W, b, scores);
    blk.correct = 0;
    for (int64_t i = 0; i < count; ++i) blk.correct += argmax<float>(scores.row(i)) == blk.labels[i];
    const Labels block_labels(blk.labels.data(), count);
    blk.loss = data_loss<float>(loss_, scores, block_labels, dscores);
    // the block's mean loss weighs count / n in the minibatch mean
    const float share = static_cast<float>(count) / static_cast<float>(n);
    Eigen::Map<RowMatrix<float>> dW(blk.grad.data(), dim_, classes_);
    Eigen::Map<RowVector<float>> db(blk.grad.data() + dim_ * classes_, classes_);
    backward_scores<float>(x, dscores, share, dW, db);
  });

  Result r;
  grad = blocks_[0].grad;
  for (int64_t k = 1; k < blocks; ++k) grad += blocks_[k].grad;
  for (int64_t k = 0; k < blocks; ++k) {
    const int64_t count = std::min(kRowsPerBlock, n - k * kRowsPerBlock);
    r.data_loss += blocks_[k].loss * static_cast<double>(count) / static_cast<double>(n);
    r.correct += blocks_[k].correct;
  }
  Eigen::Map<RowMatrix<float>> dW(grad.data(), dim_, classes_);
  r.penalty = penalty<float>(reg_, W, dW);
  return r;
}

}  // namespace featpipe::classify
