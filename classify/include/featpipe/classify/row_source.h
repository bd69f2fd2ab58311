#pragma once
// Where training rows come from: read by row blocks so that a store larger than memory can be streamed.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "featpipe/core/matrix.h"
#include "featpipe/data/store.h"

namespace featpipe::classify {

using data::RowSpan;

/// A [rows, dim] float32 matrix readable by row blocks.
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual uint64_t rows() const = 0;
  virtual uint64_t dim() const = 0;
  /// Rows [begin, begin + count) into out (count * dim floats, row-major).
  virtual void read_rows(uint64_t begin, uint64_t count, float* out) const = 0;
  /// The rows in place in memory, as spans that cover [0, rows()) in order, when the source holds them
  /// so (a matrix; a store whose rows lie in its file as they are, mapped); empty otherwise (read_rows).
  /// Any number of threads may read them.
  virtual std::span<const RowSpan> in_place() const { return {}; }
  /// A reader is done with rows [begin, begin + count) of in_place(): a mapped source lets their pages go.
  virtual void release(uint64_t /*begin*/, uint64_t /*count*/) const {}
  /// All rows when they are already in this process's memory as one row-major block (a matrix; not a
  /// mapped file, whose rows still cost memory to hold).
  virtual const float* data() const { return nullptr; }
};

/// Rows [begin, begin + count) of source in place, when they lie in one span of in_place(); else nullptr.
const float* rows_in_place(const RowSource& source, uint64_t begin, uint64_t count);

/// The rows of source.in_place() cut into blocks of up to block_rows rows, in order: each span's rows from
/// its start, the last block of a span ending with it.
std::vector<RowSpan> in_place_blocks(const RowSource& source, uint64_t block_rows);

/// Rows already in memory (not owned).
class MatrixSource final : public RowSource {
 public:
  MatrixSource(const float* data, uint64_t rows, uint64_t dim) : span_{0, rows, data}, dim_(dim) {}
  uint64_t rows() const override { return span_.count; }
  uint64_t dim() const override { return dim_; }
  void read_rows(uint64_t begin, uint64_t count, float* out) const override;
  std::span<const RowSpan> in_place() const override { return {&span_, 1}; }
  const float* data() const override { return span_.rows; }

 private:
  RowSpan span_;
  uint64_t dim_;
};

/// Consecutive blocks of up to block_rows rows of a source, read one block ahead on a thread of its own
/// into two buffers, so that reading the next block overlaps the work on this one (reading a store is
/// a copy out of the page cache, as long as the work on a block of raw pixels).
class BlockReader {
 public:
  BlockReader(const RowSource& source, uint64_t block_rows);
  ~BlockReader();  // stops the reading thread
  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

  /// The next block, valid until the next call; false after the last. Rethrows what reading threw.
  bool next(const float** rows, uint64_t* begin, uint64_t* count);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// fn(rows, begin) for consecutive blocks of up to block_rows rows of source, in order, on this thread:
/// in place when the source is in memory (a block then ends at the end of a span, and is released after
/// fn), else read ahead by a BlockReader. When fn returns bool, false stops the walk (and the reading).
template <typename Fn>
void for_each_row_block(const RowSource& source, uint64_t block_rows, Fn&& fn) {
  const uint64_t n = source.rows(), dim = source.dim();
  block_rows = std::max<uint64_t>(1, std::min(block_rows, n));
  const auto call = [&](const float* block, uint64_t begin, uint64_t count) {
    const ConstMatrixView<float> rows(
        Eigen::Map<const RowMatrix<float>>(block, Eigen::Index(count), Eigen::Index(dim)));
    if constexpr (std::is_same_v<std::invoke_result_t<Fn&, ConstMatrixView<float>, uint64_t>, bool>) {
      return fn(rows, begin);
    } else {
      fn(rows, begin);
      return true;
    }
  };
  if (!source.in_place().empty()) {
    for (const RowSpan& block : in_place_blocks(source, block_rows)) {
      const bool go_on = call(block.rows, block.first, block.count);
      source.release(block.first, block.count);
      if (!go_on) return;
    }
    return;
  }
  BlockReader reader(source, block_rows);
  const float* block = nullptr;
  uint64_t begin = 0, count = 0;
  while (reader.next(&block, &begin, &count)) {
    if (!call(block, begin, count)) return;
  }
}

}  // namespace featpipe::classify
