#pragma once
// Private: the mean and covariance of a job's rows, which the whitening (ZCA) and the PCA both decompose.
#include <Eigen/Dense>

#include "featpipe/core/block_reduction.h"
#include "featpipe/core/matrix.h"

namespace featpipe::vocab {

struct SampleMoments {
  Eigen::RowVectorXd mean;     // 1 x d
  Eigen::MatrixXd covariance;  // d x d, unbiased (divided by rows - 1)
};

/// In double, each sum taken per block of share.block_rows rows, then in block order, so every number of
/// ranks gets the bits of one process. x holds this rank's rows; share.rows >= 2.
SampleMoments sample_moments(ConstMatrixView<float> x, const Collective& job, const RowShare& share);

}  // namespace featpipe::vocab
