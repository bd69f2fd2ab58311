#pragma once
// Where training rows come from: read by row blocks so that a store larger than memory can be streamed.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "featpipe/classify/matrix.h"

namespace featpipe::classify {

/// A [rows, dim] float32 matrix readable by row blocks.
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual uint64_t rows() const = 0;
  virtual uint64_t dim() const = 0;
  /// Rows [begin, begin + count) into out (count * dim floats, row-major).
  virtual void read_rows(uint64_t begin, uint64_t count, float* out) const = 0;
  /// All rows when they are in memory as one row-major block (readers then use them in place).
  virtual const float* data() const { return nullptr; }
};

/// Rows already in memory (not owned).
class MatrixSource final : public RowSource {
 public:
  MatrixSource(const float* data, uint64_t rows, uint64_t dim) : data_(data), rows_(rows), dim_(dim) {}
  uint64_t rows() const override { return rows_; }
  uint64_t dim() const override { return dim_; }
  void read_rows(uint64_t begin, uint64_t count, float* out) const override;
  const float* data() const override { return data_; }

 private:
  const float* data_;
  uint64_t rows_, dim_;
};

/// fn(rows, begin) for consecutive blocks of up to block_rows rows of source, in order: in place when the
/// source is in memory, else read into one buffer reused for every block.
template <typename Fn>
void for_each_row_block(const RowSource& source, uint64_t block_rows, Fn&& fn) {
  const uint64_t n = source.rows(), dim = source.dim();
  block_rows = std::max<uint64_t>(1, std::min(block_rows, n));
  std::vector<float> buffer(source.data() ? 0 : block_rows * dim);
  for (uint64_t begin = 0; begin < n; begin += block_rows) {
    const uint64_t count = std::min(block_rows, n - begin);
    const float* block = source.data() ? source.data() + begin * dim : buffer.data();
    if (!source.data()) source.read_rows(begin, count, buffer.data());
    fn(ConstMatrixView<float>(
           Eigen::Map<const RowMatrix<float>>(block, Eigen::Index(count), Eigen::Index(dim))),
       begin);
  }
}

}  // namespace featpipe::classify
