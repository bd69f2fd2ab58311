#pragma once
// Private: the objective and its gradient on one minibatch, the trainer's inner step. The minibatch is
// cut into blocks of kRowsPerBlock rows; each block gathers its rows, applies dropout, computes scores,
// the data loss and its share of the gradient; the shares are then summed in block order. All buffers
// are allocated once.
#include <cstdint>
#include <span>
#include <vector>

#include "featpipe/classify/matrix.h"
#include "featpipe/classify/trainer.h"

namespace featpipe::classify {

class BatchGradient {
 public:
  static constexpr int64_t kRowsPerBlock = 64;

  BatchGradient(const TrainParams& p, uint64_t dim, int classes);

  struct Result {
    double data_loss = 0;  // mean over the minibatch
    double penalty = 0;
    int64_t correct = 0;  // rows whose highest score is their label
  };

  /// params and grad: W [D, C] row-major followed by b [C]. rows / labels: the loaded chunk; batch:
  /// indices into it (at most p.batch). dropout_seed identifies the minibatch.
  Result compute(ConstMatrixView<float> rows, Labels labels, std::span<const int64_t> batch,
                 const Eigen::VectorXf& params, uint64_t dropout_seed, Eigen::VectorXf& grad);

 private:
  struct Block {
    RowMatrix<float> x, scores, dscores;
    std::vector<int32_t> labels;
    Eigen::VectorXf grad;
    double loss = 0;
    int64_t correct = 0;
  };

  LossParams loss_;
  RegParams reg_;
  double dropout_;
  int64_t dim_, classes_;
  std::vector<Block> blocks_;
};

}  // namespace featpipe::classify
