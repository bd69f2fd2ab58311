#pragma once
// Whitening of patch descriptors before k-means, as in Coates, Lee & Ng, "An analysis of single-layer
// networks in unsupervised feature learning", AISTATS 2011: each patch is normalised for brightness and
// contrast, then ZCA decorrelates the dimensions. The transform is learned with the vocabulary and stored in
// it, so encoding applies exactly the transform the centres were learned in.
#include <cstddef>
#include <optional>
#include <string>

#include "featpipe/core/collective.h"
#include "featpipe/core/matrix.h"

namespace featpipe::vocab {

struct WhiteningParams {
  bool normalize_patches = false;  // subtract each descriptor's mean and divide by sqrt(variance + patch_eps)
  float patch_eps = 10.0f;         // in squared descriptor units: Coates et al.'s 10 for 0..255 pixels
  bool zca = false;                // decorrelate: x -> (x - mean) V diag(1 / sqrt(lambda + zca_eps)) V^T
  float zca_eps = 0.1f;            // added to the covariance's eigenvalues; Coates et al.'s 0.1 after
                                   // patch normalisation (larger keeps more low-variance noise out)
};

/// patch_eps >= 0, zca_eps > 0.
std::optional<std::string> validate(const WhiteningParams& params);

class Whitening {
 public:
  Whitening() = default;  // the identity
  /// A stored transform: mean 1 x d and transform d x d, both empty unless params.zca.
  Whitening(WhiteningParams params, Eigen::RowVectorXf mean, RowMatrix<float> transform);
  /// Learns the ZCA mean and transform from rows (after patch normalisation when that is on), the mean and
  /// the covariance each summed per block of block_rows rows, then in block order (core/block_reduction.h).
  /// With a job of several ranks, rows are this rank's, whole blocks following the previous rank's, and
  /// every rank learns the same transform, the bits of one process holding every row (two all_gathers, of
  /// d and d * d doubles per block). Throws std::invalid_argument with validate()'s message, or when ZCA is
  /// asked of fewer than 2 rows.
  static Whitening learn(ConstMatrixView<float> rows, const WhiteningParams& params,
                         const Collective& job = single_process(), std::size_t block_rows = 4096);

  const WhiteningParams& params() const { return params_; }
  const Eigen::RowVectorXf& mean() const { return mean_; }
  const RowMatrix<float>& transform() const { return transform_; }
  bool identity() const { return !params_.normalize_patches && !params_.zca; }

  /// Transforms rows in place (any number of rows of the learned width). Thread-safe.
  void apply(MatrixView<float> rows) const;

 private:
  WhiteningParams params_;
  Eigen::RowVectorXf mean_;
  RowMatrix<float> transform_;
};

}  // namespace featpipe::vocab
