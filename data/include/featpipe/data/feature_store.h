#pragma once
// Feature stores: /features float32 [N, D] chunked by rows, /labels int32 [N], /index int64 [N] (row in the
// source split), /class_names, kind "features"; /augment uint8 [N] (0: the image as it is, 1: its mirror)
// in stores of augmented training splits only, absent meaning all 0. Built on store.h.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "featpipe/core/column_moments.h"
#include "featpipe/core/stage_observer.h"
#include "featpipe/data/store.h"

namespace featpipe::data {

/// Appends row blocks; never needs the whole matrix in memory.
class FeatureStoreWriter {
 public:
  /// augmented: the store gets /augment, and every append() gives its values.
  FeatureStoreWriter(const std::string& path, uint64_t dim, const std::vector<std::string>& class_names,
                     const nlohmann::json& provenance, const std::string& kind = "features",
                     bool augmented = false);
  /// rows: count x dim row-major. augment: count values (0 or 1) for an augmented store, else null.
  void append(const float* rows, const int32_t* labels, const int64_t* index, uint64_t count,
              const uint8_t* augment = nullptr);
  uint64_t rows_written() const { return rows_; }
  void commit() { writer_.commit(); }
  StoreWriter& store() { return writer_; }  // extra datasets (e.g. /frames for descriptors)

 private:
  StoreWriter writer_;
  uint64_t rows_ = 0;
  bool augmented_ = false;
};

/// Reads a feature store whole or by row blocks.
class FeatureStoreReader {
 public:
  /// InputError unless the file is a featpipe store of the given kind (any kind when empty: `inspect`)
  /// holding /features, /labels, /index, /class_names (and /augment when present, of 0 and 1) of consistent
  /// lengths. A descriptor store has the same
  /// datasets, one row per local descriptor: it is refused where feature rows of images are needed.
  explicit FeatureStoreReader(const std::string& path, const std::string& kind = "features");

  uint64_t rows() const { return rows_; }
  uint64_t dim() const { return dim_; }
  const std::vector<std::string>& class_names() const { return class_names_; }
  const std::vector<int32_t>& labels() const { return labels_; }
  const std::vector<int64_t>& index() const { return index_; }
  /// Per row: 0 the image as it is, 1 its horizontal mirror (all 0 without /augment). A mirrored row shows
  /// the same image as its source: checks of shared images go by index() alone.
  const std::vector<uint8_t>& augment() const { return augment_; }
  /// Whether the store has /augment (an augmented training split).
  bool augmented() const { return augmented_; }
  nlohmann::json provenance() const { return reader_.provenance(); }
  const StoreReader& store() const { return reader_; }

  /// Rows [begin, begin + count) into out (count * dim floats).
  void read_rows(uint64_t begin, uint64_t count, float* out) const;
  std::vector<float> read_all() const;
  /// The rows in place (StoreReader::map_rows), when they lie in the file as they are.
  std::optional<MappedRows> map_features() const;

 private:
  StoreReader reader_;
  uint64_t rows_ = 0, dim_ = 0;
  std::vector<std::string> class_names_;
  std::vector<int32_t> labels_;
  std::vector<int64_t> index_;
  std::vector<uint8_t> augment_;
  bool augmented_ = false;
};

/// Per-dimension statistics of a store's features, read in blocks of about 8 MB (bounded memory for a store
/// of any size) and merged in block order. The observer sees one phase counting rows.
ColumnMoments feature_moments(const FeatureStoreReader& store, StageObserver& observer);

}  // namespace featpipe::data
