#pragma once
// Streaming per-column statistics of float rows: the one implementation behind the standardizer's mean and
// std and `inspect`'s summary. Rows arrive in blocks of any size; each block's moments are computed on
// their own and merged into the running ones in the order the blocks arrive (Chan, Golub & LeVeque,
// "Updating formulae and a pairwise algorithm for computing sample variances", 1979), in double, so a
// store of any size is summarised in bounded memory with no catastrophic cancellation however large the
// mean, and the result depends only on the block boundaries.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "featpipe/core/matrix.h"

namespace featpipe {

/// Count, mean, sum of squared deviations (m2), min and max of the finite values of one column (or of
/// several merged); NaN and infinities are counted apart and left out of the rest.
struct Moments {
  uint64_t n = 0;
  double mean = 0, m2 = 0;
  double min = std::numeric_limits<double>::infinity(), max = -std::numeric_limits<double>::infinity();
  uint64_t nan = 0, inf = 0;

  /// Population standard deviation, 0 without values.
  double std_dev() const;
  /// The moments of both sets of values together.
  void merge(const Moments& other);
};

class ColumnMoments {
 public:
  explicit ColumnMoments(std::size_t dim);
  /// Adds a block of rows (rows.cols() == dim()).
  void add_block(ConstMatrixView<float> rows);
  std::size_t dim() const { return columns_.size(); }
  uint64_t rows() const { return rows_; }
  const Moments& column(std::size_t d) const { return columns_[d]; }
  /// Every column's values as one set.
  Moments overall() const;
  /// Whether no NaN or infinity has been seen.
  bool all_finite() const { return all_finite_; }

 private:
  void add_block_slowly(ConstMatrixView<float> rows);

  std::vector<Moments> columns_;
  uint64_t rows_ = 0;
  bool all_finite_ = true;
};

}  // namespace featpipe
