#pragma once
// Principal component analysis of descriptors before the words are learned, as Chatfield, Lempitsky, Vedaldi
// & Zisserman, "The devil is in the details" (BMVC 2011) reduce SIFT to 64-80 dimensions before a GMM: the
// diagonal Gaussians of a Fisher vector fit decorrelated dimensions better, and the code shrinks with the
// width. The projection is learned with the vocabulary and stored in it, like the whitening, and the encoder
// applies it to every descriptor after the whitening and before the words.
#include <cstddef>
#include <optional>
#include <string>

#include "featpipe/core/collective.h"
#include "featpipe/core/matrix.h"

namespace featpipe::vocab {

struct PcaParams {
  int dims = 0;  // principal components kept; 0: no projection
};

/// dims >= 0.
std::optional<std::string> validate(const PcaParams& params);

class Pca {
 public:
  Pca() = default;  // no projection
  /// A stored projection: mean 1 x d and projection D x d (rows: the components, largest variance first).
  Pca(Eigen::RowVectorXf mean, RowMatrix<float> projection);
  /// Learns the mean and the leading params.dims eigenvectors of the covariance of rows, in double, each
  /// sum taken per block of block_rows rows and then in block order (core/block_reduction.h), as
  /// Whitening::learn does, so every CPU level and every number of ranks learns the same bits. Each
  /// eigenvector's sign is fixed: its largest-magnitude component (the first of equals) is positive.
  /// params.dims == 0 gives no projection. Throws std::invalid_argument when dims is not below the rows'
  /// width, or with fewer than 2 rows.
  static Pca learn(ConstMatrixView<float> rows, const PcaParams& params,
                   const Collective& job = single_process(), std::size_t block_rows = 4096);

  bool identity() const { return projection_.rows() == 0; }
  std::size_t input_dim() const { return mean_.size(); }
  std::size_t output_dim() const { return projection_.rows(); }
  const Eigen::RowVectorXf& mean() const { return mean_; }
  const RowMatrix<float>& projection() const { return projection_; }

  /// out = (rows - mean) projection^T: rows n x input_dim(), out n x output_dim(). Thread-safe.
  void project(ConstMatrixView<float> rows, MatrixView<float> out) const;

 private:
  Eigen::RowVectorXf mean_;
  RowMatrix<float> projection_;
};

}  // namespace featpipe::vocab
