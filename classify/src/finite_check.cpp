#include "featpipe/classify/finite_check.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "simd_lanes.h"

namespace featpipe::classify {

bool all_finite(std::span<const float> values) {
  // x * 0 is 0 for a finite x and NaN otherwise, and NaN stays in a sum
  simd::Lanes sum = {};
  std::size_t i = 0;
  for (; i + simd::kLanes <= values.size(); i += simd::kLanes) sum += simd::load(values.data() + i) * 0.0f;
  float tail = 0.0f;
  for (; i < values.size(); ++i) tail += values[i] * 0.0f;
  for (int64_t j = 0; j < simd::kLanes; ++j) tail += sum[j];
  return tail == 0.0f;
}

std::optional<Cell> first_non_finite(ConstMatrixView<float> rows) {
  for (Eigen::Index r = 0; r < rows.rows(); ++r) {
    if (all_finite({rows.row(r).data(), static_cast<std::size_t>(rows.cols())})) continue;
    for (Eigen::Index c = 0; c < rows.cols(); ++c) {
      if (!std::isfinite(rows(r, c))) return Cell{uint64_t(r), uint64_t(c), rows(r, c)};
    }
  }
  return std::nullopt;
}

void non_finite_scores(uint64_t row) {
  throw std::invalid_argument("row " + std::to_string(row) +
                              " gives a non-finite class score: its features are finite but so large that "
                              "float32 overflows once they are standardised and weighted (check the "
                              "extractor that wrote them)");
}

void check_finite_scores(ConstMatrixView<float> scores, uint64_t first_row) {
  for (Eigen::Index r = 0; r < scores.rows(); ++r) {
    if (!all_finite({scores.row(r).data(), static_cast<std::size_t>(scores.cols())})) {
      non_finite_scores(first_row + uint64_t(r));
    }
  }
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
