#pragma once
// A test RowSource whose rows are in place as separate runs of rows, as a mapped store's chunks are, each
// in a buffer of its own; it counts how often each row is released.
#include <atomic>
#include <memory>
#include <span>
#include <vector>

#include "featpipe/classify/row_source.h"
#include "featpipe/core/matrix.h"

namespace featpipe::classify::testing {

class SpanSource final : public RowSource {
 public:
  /// The rows of x in runs of span_rows[i] rows (which add up to x.rows()).
  SpanSource(const RowMatrix<float>& x, const std::vector<uint64_t>& span_rows)
      : rows_(x.rows()), dim_(x.cols()), released_(new std::atomic<int>[rows_]) {
    uint64_t first = 0;
    for (uint64_t count : span_rows) {
      buffers_.emplace_back(x.data() + first * dim_, x.data() + (first + count) * dim_);
      spans_.push_back({first, count, buffers_.back().data()});
      first += count;
    }
    for (uint64_t r = 0; r < rows_; ++r) released_[r] = 0;
  }
  uint64_t rows() const override { return rows_; }
  uint64_t dim() const override { return dim_; }
  void read_rows(uint64_t begin, uint64_t count, float* out) const override {
    for (uint64_t r = begin; r < begin + count; ++r, out += dim_) {
      const float* row = rows_in_place(*this, r, 1);
      std::copy_n(row, dim_, out);
    }
  }
  std::span<const RowSpan> in_place() const override { return spans_; }
  void release(uint64_t begin, uint64_t count) const override {
    for (uint64_t r = begin; r < begin + count; ++r) ++released_[r];
  }
  int released(uint64_t row) const { return released_[row]; }

 private:
  uint64_t rows_, dim_;
  std::vector<std::vector<float>> buffers_;
  std::vector<RowSpan> spans_;
  std::unique_ptr<std::atomic<int>[]> released_;
};

}  // namespace featpipe::classify::testing
