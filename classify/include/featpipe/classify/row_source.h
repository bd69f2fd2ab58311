#pragma once
// Where training rows come from: read by row blocks so that a store larger than memory can be streamed.
#include <cstdint>

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

}  // namespace featpipe::classify
