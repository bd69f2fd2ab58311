#include "featpipe/classify/standardizer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "parallel_blocks.h"

namespace featpipe::classify {
namespace {

constexpr int64_t kColumnsPerTask = 64;

}  // namespace

void Standardizer::apply(MatrixView<float> rows) const {
  if (static_cast<std::size_t>(rows.cols()) != mean.size()) {
    throw std::invalid_argument("standardize: rows have " + std::to_string(rows.cols()) +
                                " dimensions, statistics " + std::to_string(mean.size()));
  }
  const Eigen::Map<const RowVector<float>> m(mean.data(), rows.cols());
  const RowVector<float> inv = Eigen::Map<const RowVector<float>>(std.data(), rows.cols()).cwiseInverse();
  constexpr int64_t kRowsPerTask = 1024;
  const int64_t tasks = (rows.rows() + kRowsPerTask - 1) / kRowsPerTask;
  for_each_block(tasks, [&](int64_t t) {
    const int64_t begin = t * kRowsPerTask, count = std::min<int64_t>(kRowsPerTask, rows.rows() - begin);
    auto block = rows.middleRows(begin, count);
    block.array().rowwise() -= m.array();
    block.array().rowwise() *= inv.array();
  });
}

Standardizer fit_standardizer(const RowSource& source, uint64_t block_rows) {
  const uint64_t n = source.rows(), dim = source.dim();
  if (n == 0) throw std::invalid_argument("standardize: no rows");
  block_rows = std::max<uint64_t>(1, std::min(block_rows, n));
  std::vector<float> buffer(source.data() ? 0 : block_rows * dim);
  // Per column: mean and sum of squared deviations of the rows so far, merged block by block (Chan et
  // al. 1979). Within a block, one pass of sums of x - K and (x - K)^2 with K the mean so far (the
  // block's first row for the first block), which keeps the cancellation in M2 = S2 - S1^2 / n small.
  std::vector<double> mean(dim, 0.0), m2(dim, 0.0);
  const int64_t tasks = (static_cast<int64_t>(dim) + kColumnsPerTask - 1) / kColumnsPerTask;
  for (uint64_t begin = 0; begin < n; begin += block_rows) {
    const uint64_t count = std::min(block_rows, n - begin);
    const float* block = source.data() ? source.data() + begin * dim : buffer.data();
    if (!source.data()) source.read_rows(begin, count, buffer.data());
    const double seen = static_cast<double>(begin), rows = static_cast<double>(count), total = seen + rows;
    for_each_block(tasks, [&](int64_t t) {
      const uint64_t c0 = t * kColumnsPerTask, width = std::min<uint64_t>(dim, c0 + kColumnsPerTask) - c0;
      double shift[kColumnsPerTask], s1[kColumnsPerTask] = {}, s2[kColumnsPerTask] = {};
      for (uint64_t c = 0; c < width; ++c) shift[c] = begin == 0 ? block[c0 + c] : mean[c0 + c];
      for (uint64_t r = 0; r < count; ++r) {
        const float* row = block + r * dim + c0;
        for (uint64_t c = 0; c < width; ++c) {
          const double d = row[c] - shift[c];
          s1[c] += d;
          s2[c] += d * d;
        }
      }
      for (uint64_t c = 0; c < width; ++c) {
        const double block_mean = shift[c] + s1[c] / rows;
        const double block_m2 = std::max(0.0, s2[c] - s1[c] * s1[c] / rows);
        const double delta = block_mean - mean[c0 + c];
        mean[c0 + c] += delta * rows / total;
        m2[c0 + c] += block_m2 + delta * delta * seen * rows / total;
      }
    });
  }
  Standardizer s;
  s.mean.resize(dim);
  s.std.resize(dim);
  for (uint64_t c = 0; c < dim; ++c) {
    s.mean[c] = static_cast<float>(mean[c]);
    const double sd = std::sqrt(m2[c] / static_cast<double>(n));
    s.std[c] = sd > 0 ? static_cast<float>(sd) : 1.0f;
  }
  return s;
}

Standardizer identity_standardizer(uint64_t dim) {
  return {std::vector<float>(dim, 0.0f), std::vector<float>(dim, 1.0f)};
}

}  // namespace featpipe::classify
