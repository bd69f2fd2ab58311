#include "chunked_rows.h"

#include <algorithm>

namespace featpipe::classify {

ChunkedRows::ChunkedRows(const RowSource& source, uint64_t chunk_rows)
    : source_(source), chunk_rows_(std::max<uint64_t>(1, chunk_rows)) {}

uint64_t ChunkedRows::count(uint64_t chunk) const {
  return std::min(chunk_rows_, source_.rows() - begin(chunk));
}

MatrixView<float> ChunkedRows::buffer(uint64_t chunk) {
  return Eigen::Map<RowMatrix<float>>(buffer_.data(), count(chunk), source_.dim());
}

void ChunkedRows::read(uint64_t chunk) {
  if (loaded_ == static_cast<int64_t>(chunk)) return;
  if (buffer_.size() == 0) buffer_ = HugePageBuffer(std::min(chunk_rows_, source_.rows()) * source_.dim());
  source_.read_rows(begin(chunk), count(chunk), buffer_.data());
  loaded_ = static_cast<int64_t>(chunk);
  is_standardised_ = false;
}

ConstMatrixView<float> ChunkedRows::raw(uint64_t chunk) {
  if (source_.data()) {
    return Eigen::Map<const RowMatrix<float>>(source_.data() + begin(chunk) * source_.dim(), count(chunk),
                                              source_.dim());
  }
  read(chunk);
  if (is_standardised_) {
    loaded_ = -1;
    read(chunk);
  }
  return buffer(chunk);
}

ConstMatrixView<float> ChunkedRows::standardised(uint64_t chunk, const Standardizer& s) {
  read(chunk);
  if (!is_standardised_) {
    s.apply(buffer(chunk));
    is_standardised_ = true;
  }
  return buffer(chunk);
}

}  // namespace featpipe::classify
