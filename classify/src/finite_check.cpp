#include "featpipe/classify/finite_check.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace featpipe::classify {

std::optional<Cell> first_non_finite(ConstMatrixView<float> rows) {
  for (Eigen::Index r = 0; r < rows.rows(); ++r) {
    if (rows.row(r).allFinite()) continue;
    for (Eigen::Index c = 0; c < rows.cols(); ++c) {
      if (!std::isfinite(rows(r, c))) return Cell{uint64_t(r), uint64_t(c), rows(r, c)};
    }
  }
  return std::nullopt;
}

void check_finite(ConstMatrixView<float> rows, uint64_t first_row) {
  const std::optional<Cell> bad = first_non_finite(rows);
  if (!bad) return;
  throw std::invalid_argument("row " + std::to_string(first_row + bad->row) + ", feature " +
                              std::to_string(bad->feature) + " is " +
                              (std::isnan(bad->value) ? "NaN" : "infinite") +
                              "; features must be finite numbers (check the extractor that wrote them)");
}

void check_finite(const RowSource& source, uint64_t block_rows) {
  for_each_row_block(source, block_rows,
                     [](ConstMatrixView<float> rows, uint64_t begin) { check_finite(rows, begin); });
}

}  // namespace featpipe::classify
