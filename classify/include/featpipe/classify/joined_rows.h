#pragma once
// Several row sources of the same rows side by side: row r is row r of each part, in order, their columns
// concatenated (the features of several stores of the same images fused into one model). Read by blocks of
// rows from each part, never more than one block of a part beside the rows asked for; never in place.
#include <cstdint>
#include <vector>

#include "featpipe/classify/row_source.h"

namespace featpipe::classify {

class JoinedRows final : public RowSource {
 public:
  /// parts (not owned) hold the same number of rows; std::invalid_argument otherwise, or when there are
  /// none.
  explicit JoinedRows(std::vector<const RowSource*> parts);
  uint64_t rows() const override { return rows_; }
  uint64_t dim() const override { return dim_; }
  /// Any number of threads may read at once.
  void read_rows(uint64_t begin, uint64_t count, float* out) const override;

 private:
  std::vector<const RowSource*> parts_;
  uint64_t rows_ = 0, dim_ = 0;
};

}  // namespace featpipe::classify
