#pragma once
// Per-dimension standardisation x' = (x - mean) / std with statistics of the training rows; a model
// stores it and applies it to every input.
#include <cstdint>
#include <vector>

#include "featpipe/classify/row_source.h"
#include "featpipe/core/matrix.h"

namespace featpipe::classify {

struct Standardizer {
  std::vector<float> mean;  // [D]
  std::vector<float> std;   // [D], population std; 1 for dimensions of zero variance

  /// rows [n, D] in place.
  void apply(MatrixView<float> rows) const;
};

/// Mean and std of every dimension of source, read by blocks of block_rows rows (used in place when the
/// source is in memory) and combined in block order (Chan et al.) in double. std::invalid_argument naming
/// the row and feature of the first NaN or infinity (finite_check.h).
Standardizer fit_standardizer(const RowSource& source, uint64_t block_rows = 4096);

/// mean 0, std 1: the identity.
Standardizer identity_standardizer(uint64_t dim);

}  // namespace featpipe::classify
