#include "featpipe/core/column_moments.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace featpipe {

double Moments::std_dev() const { return n > 0 ? std::sqrt(m2 / static_cast<double>(n)) : 0.0; }

void Moments::merge(const Moments& o) {
  if (o.n > 0) {
    const double total = static_cast<double>(n + o.n);
    const double delta = o.mean - mean;
    mean += delta * static_cast<double>(o.n) / total;
    m2 += o.m2 + delta * delta * (static_cast<double>(n) * static_cast<double>(o.n) / total);
    n += o.n;
    min = std::min(min, o.min);
    max = std::max(max, o.max);
  }
  nan += o.nan;
  inf += o.inf;
}

ColumnMoments::ColumnMoments(std::size_t dim) : columns_(dim) {}

Moments ColumnMoments::overall() const {
  Moments all;
  for (const Moments& m : columns_) all.merge(m);
  return all;
}

void ColumnMoments::add_block(ConstMatrixView<float> rows) {
  const Eigen::Index d = static_cast<Eigen::Index>(columns_.size());
  if (rows.cols() != d) {
    throw std::invalid_argument("column moments: rows of " + std::to_string(rows.cols()) + " values, not " +
                                std::to_string(d));
  }
  if (rows.rows() == 0) return;
  // One pass of sums of x - K and (x - K)^2 with K the running mean (the block's first row for the first
  // block), which keeps the cancellation in M2 = S2 - S1^2 / n small. The sums run in float over groups of
  // kGroupRows rows (a few dozen small deviations lose nothing that matters) and in double across groups.
  // A block holding a NaN, an infinity, or values whose float squares overflow is done again value by value
  // in double, skipping the non-finite ones.
  constexpr Eigen::Index kGroupRows = 32;
  Eigen::ArrayXf shift(d), g1(d), g2(d), lo(d), hi(d);
  for (Eigen::Index c = 0; c < d; ++c) {
    const float k = rows_ == 0 ? rows(0, c) : static_cast<float>(columns_[c].mean);
    shift[c] = std::isfinite(k) ? k : 0.0f;
  }
  Eigen::ArrayXd s1 = Eigen::ArrayXd::Zero(d), s2 = Eigen::ArrayXd::Zero(d);
  lo = rows.row(0).transpose().array();
  hi = lo;
  for (Eigen::Index g = 0; g < rows.rows(); g += kGroupRows) {
    g1.setZero();
    g2.setZero();
    for (Eigen::Index r = g; r < std::min(g + kGroupRows, rows.rows()); ++r) {
      const float* x = rows.row(r).data();
      for (Eigen::Index c = 0; c < d; ++c) {
        const float dev = x[c] - shift[c];
        g1[c] += dev;
        g2[c] += dev * dev;
        lo[c] = std::min(lo[c], x[c]);
        hi[c] = std::max(hi[c], x[c]);
      }
    }
    s1 += g1.cast<double>();
    s2 += g2.cast<double>();
  }
  if (!s1.allFinite() || !s2.allFinite()) {
    add_block_slowly(rows);
    return;
  }
  const double added = static_cast<double>(rows.rows());
  for (Eigen::Index c = 0; c < d; ++c) {
    Moments block;
    block.n = static_cast<uint64_t>(rows.rows());
    block.mean = shift[c] + s1[c] / added;
    block.m2 = std::max(0.0, s2[c] - s1[c] * s1[c] / added);
    block.min = lo[c];
    block.max = hi[c];
    columns_[c].merge(block);
  }
  rows_ += static_cast<uint64_t>(rows.rows());
}

void ColumnMoments::add_block_slowly(ConstMatrixView<float> rows) {
  for (Eigen::Index c = 0; c < rows.cols(); ++c) {
    Moments block;
    double sum = 0;
    for (Eigen::Index r = 0; r < rows.rows(); ++r) {
      const float v = rows(r, c);
      if (std::isnan(v)) {
        ++block.nan;
      } else if (std::isinf(v)) {
        ++block.inf;
      } else {
        ++block.n;
        sum += v;
        block.min = std::min<double>(block.min, v);
        block.max = std::max<double>(block.max, v);
      }
    }
    block.mean = block.n > 0 ? sum / static_cast<double>(block.n) : 0.0;
    for (Eigen::Index r = 0; r < rows.rows(); ++r) {
      const double v = rows(r, c);
      if (std::isfinite(v)) block.m2 += (v - block.mean) * (v - block.mean);
    }
    if (block.nan + block.inf > 0) all_finite_ = false;
    columns_[c].merge(block);
  }
  rows_ += static_cast<uint64_t>(rows.rows());
}

}  // namespace featpipe
