#include "featpipe/classify/joined_rows.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace featpipe::classify {

JoinedRows::JoinedRows(std::vector<const RowSource*> parts) : parts_(std::move(parts)) {
  if (parts_.empty()) throw std::invalid_argument("joined rows: no sources");
  rows_ = parts_.front()->rows();
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    if (parts_[i]->rows() != rows_) {
      throw std::invalid_argument("joined rows: source " + std::to_string(i) + " has " +
                                  std::to_string(parts_[i]->rows()) + " rows, source 0 " +
                                  std::to_string(rows_));
    }
    dim_ += parts_[i]->dim();
  }
}

void JoinedRows::read_rows(uint64_t begin, uint64_t count, float* out) const {
  // A part's rows are read a block at a time into a buffer of at most ~1 MiB and copied into their
  // columns of out.
  constexpr uint64_t kBlockFloats = uint64_t{1} << 18;
  uint64_t column = 0;
  std::vector<float> block;
  for (const RowSource* part : parts_) {
    const uint64_t width = part->dim();
    const uint64_t block_rows = std::max<uint64_t>(1, kBlockFloats / std::max<uint64_t>(1, width));
    for (uint64_t at = 0; at < count; at += block_rows) {
      const uint64_t n = std::min(block_rows, count - at);
      block.resize(n * width);
      part->read_rows(begin + at, n, block.data());
      for (uint64_t r = 0; r < n; ++r)
        std::copy_n(block.data() + r * width, width, out + (at + r) * dim_ + column);
    }
    column += width;
  }
}

}  // namespace featpipe::classify
