#include "chunked_rows.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "featpipe/classify/finite_check.h"

namespace featpipe::classify {

ChunkedRows::ChunkedRows(const RowSource& source, uint64_t chunk_rows, std::string checked_name)
    : source_(source),
      checked_name_(std::move(checked_name)),
      chunk_rows_(std::max<uint64_t>(1, chunk_rows)),
      checked_(chunks(), false) {}

uint64_t ChunkedRows::count(uint64_t chunk) const {
  return std::min(chunk_rows_, source_.rows() - begin(chunk));
}

MatrixView<float> ChunkedRows::buffer(uint64_t chunk) {
  return Eigen::Map<RowMatrix<float>>(buffer_.data(), count(chunk), source_.dim());
}

void ChunkedRows::read(uint64_t chunk) {
  if (loaded_ == static_cast<int64_t>(chunk)) return;
  if (buffer_.size() == 0)
    buffer_ = HugePageBuffer<float>(std::min(chunk_rows_, source_.rows()) * source_.dim());
  source_.read_rows(begin(chunk), count(chunk), buffer_.data());
  loaded_ = static_cast<int64_t>(chunk);
  check(buffer(chunk), chunk);
  is_standardised_ = false;
}

void ChunkedRows::check(ConstMatrixView<float> rows, uint64_t chunk) {
  if (checked_name_.empty() || checked_[chunk]) return;
  try {
    check_finite(rows, begin(chunk));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(checked_name_ + ": " + e.what());
  }
  checked_[chunk] = true;
}

ConstMatrixView<float> ChunkedRows::raw(uint64_t chunk) {
  if (const float* in_place = rows_in_place(source_, begin(chunk), count(chunk))) {
    const Eigen::Map<const RowMatrix<float>> rows(in_place, count(chunk), source_.dim());
    check(rows, chunk);
    return rows;
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
