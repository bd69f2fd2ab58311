#pragma once
// Private: the rows of a source held in memory one chunk at a time, standardised on load. With a single
// chunk (the data fits in memory) the rows are read and standardised once for the whole run; raw rows of a
// source already in memory are used in place. The buffer is in huge pages (huge_page_buffer.h).
#include <cstdint>
#include <string>
#include <vector>

#include "featpipe/classify/row_source.h"
#include "featpipe/classify/standardizer.h"
#include "featpipe/core/matrix.h"
#include "huge_page_buffer.h"

namespace featpipe::classify {

class ChunkedRows {
 public:
  /// chunk_rows >= 1; the buffer holds min(chunk_rows, rows) rows. With a name, every chunk is checked for
  /// NaN and infinity the first time it is read (std::invalid_argument starting with the name); without
  /// one, the caller checks.
  ChunkedRows(const RowSource& source, uint64_t chunk_rows, std::string checked_name = "");

  uint64_t chunks() const { return (source_.rows() + chunk_rows_ - 1) / chunk_rows_; }
  uint64_t begin(uint64_t chunk) const { return chunk * chunk_rows_; }
  uint64_t count(uint64_t chunk) const;

  /// The raw rows of chunk (read unless already loaded or in memory).
  ConstMatrixView<float> raw(uint64_t chunk);
  /// The rows of chunk standardised with s (read and standardised only when not already).
  ConstMatrixView<float> standardised(uint64_t chunk, const Standardizer& s);

 private:
  void read(uint64_t chunk);
  /// Checks the rows of chunk unless they have been.
  void check(ConstMatrixView<float> rows, uint64_t chunk);
  MatrixView<float> buffer(uint64_t chunk);

  const RowSource& source_;
  std::string checked_name_;
  uint64_t chunk_rows_;
  HugePageBuffer<float> buffer_;  // [min(chunk_rows, rows), dim]
  int64_t loaded_ = -1;
  std::vector<bool> checked_;  // per chunk
  bool is_standardised_ = false;
};

}  // namespace featpipe::classify
