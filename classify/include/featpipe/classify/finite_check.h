#pragma once
// NaN and infinite features: training, standardisation and prediction refuse them with the row and the
// feature that hold one, rather than turning them into NaN weights or arbitrary predictions.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "featpipe/classify/row_source.h"
#include "featpipe/core/matrix.h"

namespace featpipe::classify {

struct Cell {
  uint64_t row = 0, feature = 0;
  float value = 0;
};

/// Whether every value is finite; vectorised, unlike Eigen's allFinite (the trainer checks the weights
/// after every update).
bool all_finite(std::span<const float> values);

/// The first non-finite value of rows (row-major order), if any.
std::optional<Cell> first_non_finite(ConstMatrixView<float> rows);

/// std::invalid_argument "row R, feature F is NaN (or inf): ..." for the first non-finite value of rows,
/// whose first row is row first_row of its source.
void check_finite(ConstMatrixView<float> rows, uint64_t first_row = 0);

/// std::invalid_argument "row R gives a non-finite class score ..." when a row of finite features still
/// overflows float32 on its way to the scores (features of 3e38 were scored as the first class).
void check_finite_scores(ConstMatrixView<float> scores, uint64_t first_row = 0);
[[noreturn]] void non_finite_scores(uint64_t row);

/// The same over a whole source, read by blocks.
void check_finite(const RowSource& source, uint64_t block_rows = 4096);

}  // namespace featpipe::classify
