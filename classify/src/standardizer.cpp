#include "featpipe/classify/standardizer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "featpipe/classify/finite_check.h"
#include "featpipe/core/column_moments.h"
#include "featpipe/core/parallel_blocks.h"

namespace featpipe::classify {

void Standardizer::apply(MatrixView<float> rows) const {
  if (static_cast<std::size_t>(rows.cols()) != mean.size()) {
    throw std::invalid_argument("standardize: rows have " + std::to_string(rows.cols()) +
                                " dimensions, statistics " + std::to_string(mean.size()));
  }
  // (x - mean) / std as one multiply-add per value: x * (1 / std) + (-mean / std)
  const RowVector<float> scale = Eigen::Map<const RowVector<float>>(std.data(), rows.cols()).cwiseInverse();
  const RowVector<float> offset =
      -Eigen::Map<const RowVector<float>>(mean.data(), rows.cols()).cwiseProduct(scale);
  constexpr int64_t kRowsPerTask = 1024;
  const int64_t tasks = (rows.rows() + kRowsPerTask - 1) / kRowsPerTask;
  for_each_block(tasks, [&](int64_t t) {
    const int64_t begin = t * kRowsPerTask, count = std::min<int64_t>(kRowsPerTask, rows.rows() - begin);
    for (int64_t r = begin; r < begin + count; ++r) {
      rows.row(r).array() = rows.row(r).array() * scale.array() + offset.array();
    }
  });
}

Standardizer fit_standardizer(const RowSource& source, uint64_t block_rows) {
  const uint64_t n = source.rows(), dim = source.dim();
  if (n == 0) throw std::invalid_argument("standardize: no rows");
  // One thread, blocks in order: the pass is bound by memory, and the merge order fixes the rounding.
  ColumnMoments moments(dim);
  for_each_row_block(source, block_rows,
                     [&](ConstMatrixView<float> rows, uint64_t) { moments.add_block(rows); });
  if (!moments.all_finite()) {
    check_finite(source, block_rows);  // names the first NaN or infinity
    throw std::logic_error("standardize: a non-finite value that check_finite did not find");
  }
  Standardizer s;
  s.mean.resize(dim);
  s.std.resize(dim);
  for (uint64_t c = 0; c < dim; ++c) {
    s.mean[c] = static_cast<float>(moments.column(c).mean);
    const double sd = moments.column(c).std_dev();
    s.std[c] = sd > 0 ? static_cast<float>(sd) : 1.0f;
  }
  return s;
}

Standardizer identity_standardizer(uint64_t dim) {
  return {std::vector<float>(dim, 0.0f), std::vector<float>(dim, 1.0f)};
}

}  // namespace featpipe::classify
