#pragma once
// A feature store (featpipe::data::FeatureStoreReader) as a RowSource, for training and evaluation.
#include <string>

#include "featpipe/classify/matrix.h"
#include "featpipe/classify/row_source.h"
#include "featpipe/data/feature_store.h"

namespace featpipe::classify {

class StoreRowSource final : public RowSource {
 public:
  explicit StoreRowSource(const std::string& path) : reader_(path) {}
  uint64_t rows() const override { return reader_.rows(); }
  uint64_t dim() const override { return reader_.dim(); }
  void read_rows(uint64_t begin, uint64_t count, float* out) const override {
    reader_.read_rows(begin, count, out);
  }
  Labels labels() const { return reader_.labels(); }
  const data::FeatureStoreReader& reader() const { return reader_; }

 private:
  data::FeatureStoreReader reader_;
};

}  // namespace featpipe::classify
