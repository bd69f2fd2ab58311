#pragma once
// A feature store (featpipe::data::FeatureStoreReader) as a RowSource, for training and evaluation. Its
// rows are in place when the store's file holds them as they are (FeatureStoreReader::map_features),
// mapped the first time in_place() is asked.
#include <mutex>
#include <optional>
#include <string>

#include "featpipe/classify/row_source.h"
#include "featpipe/core/matrix.h"
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
  std::span<const RowSpan> in_place() const override {
    std::call_once(mapped_once_, [this] { mapped_ = reader_.map_features(); });
    if (!mapped_) return {};
    return mapped_->spans();
  }
  void release(uint64_t begin, uint64_t count) const override {
    if (mapped_) mapped_->release(begin, count);
  }
  Labels labels() const { return reader_.labels(); }
  const data::FeatureStoreReader& reader() const { return reader_; }

 private:
  data::FeatureStoreReader reader_;
  mutable std::once_flag mapped_once_;
  mutable std::optional<data::MappedRows> mapped_;
};

}  // namespace featpipe::classify
