#include "featpipe/classify/standardizer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "featpipe/classify/finite_check.h"
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
  // Per column: mean and sum of squared deviations of the rows so far, merged block by block (Chan et
  // al. 1979). Within a block, one pass of sums of x - K and (x - K)^2 with K the mean so far (the
  // block's first row for the first block), which keeps the cancellation in M2 = S2 - S1^2 / n small.
  // The sums run in float over groups of kGroupRows rows (a few dozen small deviations lose nothing that
  // matters) and in double across groups and blocks. One thread: the pass is bound by memory.
  constexpr Eigen::Index kGroupRows = 32;
  const Eigen::Index d = static_cast<Eigen::Index>(dim);
  Eigen::ArrayXd mean = Eigen::ArrayXd::Zero(d), m2 = Eigen::ArrayXd::Zero(d), s1(d), s2(d);
  Eigen::ArrayXf shift(d), g1(d), g2(d);
  for_each_row_block(source, block_rows, [&](ConstMatrixView<float> rows, uint64_t begin) {
    const uint64_t count = static_cast<uint64_t>(rows.rows());
    if (begin == 0) {
      shift = rows.row(0).transpose().array();
    } else {
      shift = mean.cast<float>();
    }
    s1.setZero();
    s2.setZero();
    for (Eigen::Index g = 0; g < rows.rows(); g += kGroupRows) {
      g1.setZero();
      g2.setZero();
      for (Eigen::Index r = g; r < std::min(g + kGroupRows, rows.rows()); ++r) {
        const float* x = rows.row(r).data();
        for (Eigen::Index c = 0; c < d; ++c) {
          const float dev = x[c] - shift[c];
          g1[c] += dev;
          g2[c] += dev * dev;
        }
      }
      s1 += g1.cast<double>();
      s2 += g2.cast<double>();
    }
    const double seen = static_cast<double>(begin), added = static_cast<double>(count), total = seen + added;
    const Eigen::ArrayXd block_mean = shift.cast<double>() + s1 / added;
    const Eigen::ArrayXd block_m2 = (s2 - s1.square() / added).max(0.0);
    const Eigen::ArrayXd delta = block_mean - mean;
    mean += delta * (added / total);
    m2 += block_m2 + delta.square() * (seen * added / total);
  });
  if (!mean.allFinite() || !m2.allFinite()) {
    check_finite(source, block_rows);  // names the first NaN or infinity
    throw std::invalid_argument("a feature's values are too large to standardise (their squares overflow)");
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
