// Feature stores: rows of features with their labels and source indices, on top of StoreWriter / StoreReader.
#include "featpipe/data/feature_store.h"

#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/data/class_names.h"

namespace featpipe::data {
namespace {

constexpr const char* kFeatures = "/features";
constexpr const char* kLabels = "/labels";
constexpr const char* kIndex = "/index";
constexpr const char* kClassNames = "/class_names";
constexpr const char* kAugment = "/augment";

std::string shape_text(const std::vector<uint64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// InputError unless `name` exists with the given rank; returns its info.
DatasetInfo require(const StoreReader& store, const std::string& name, size_t rank, const std::string& role) {
  if (!store.has(name)) {
    throw InputError(store.path(), "has no " + name + " dataset, so it is not a feature store (its kind is " +
                                       store.kind() + "); " + role);
  }
  DatasetInfo info = store.info(name);
  if (info.shape.size() != rank) {
    throw InputError(store.path(), name + " has shape " + shape_text(info.shape) + "; expected " +
                                       std::to_string(rank) + " dimensions");
  }
  return info;
}

}  // namespace

FeatureStoreWriter::FeatureStoreWriter(const std::string& path, uint64_t dim,
                                       const std::vector<std::string>& class_names,
                                       const nlohmann::json& provenance, const std::string& kind,
                                       bool augmented)
    : writer_(path, kind, provenance), augmented_(augmented) {
  if (dim == 0)
    throw std::invalid_argument("FeatureStoreWriter " + path + ": features need at least 1 dimension");
  writer_.write_strings(kClassNames, class_names);
  writer_.create_rows(kFeatures, dim);
  writer_.create_column(kLabels, DType::int32);
  writer_.create_column(kIndex, DType::int64);
  if (augmented_) writer_.create_column(kAugment, DType::uint8);
}

void FeatureStoreWriter::append(const float* rows, const int32_t* labels, const int64_t* index,
                                uint64_t count, const uint8_t* augment) {
  if ((augment != nullptr) != augmented_) {
    throw std::logic_error(
        "FeatureStoreWriter::append: /augment values must be given exactly when the store "
        "was made augmented");
  }
  writer_.append_rows(kFeatures, rows, count);
  writer_.append_column(kLabels, labels, count);
  writer_.append_column(kIndex, index, count);
  if (augmented_) writer_.append_column(kAugment, augment, count);
  rows_ += count;
}

FeatureStoreReader::FeatureStoreReader(const std::string& path, const std::string& kind) : reader_(path) {
  const std::string role = "give the output of `featpipe extract` or `featpipe encode`";
  if (!kind.empty() && reader_.kind() != kind) {
    throw InputError(path,
                     "is a store of kind '" + reader_.kind() + "'" +
                         (reader_.kind() == "descriptors" ? " (local descriptors, a row per patch)" : "") +
                         ", not '" + kind + "'; " + role);
  }
  const DatasetInfo features = require(reader_, kFeatures, 2, role);
  const DatasetInfo labels = require(reader_, kLabels, 1, role);
  const DatasetInfo index = require(reader_, kIndex, 1, role);
  require(reader_, kClassNames, 1, role);
  rows_ = features.shape[0];
  dim_ = features.shape[1];
  if (dim_ == 0) {
    throw InputError(path,
                     "/features has no columns: every row is empty, so there is nothing to train, "
                     "evaluate or inspect; " +
                         role);
  }
  if (labels.shape[0] != rows_ || index.shape[0] != rows_) {
    throw InputError(path, "/features has " + std::to_string(rows_) + " rows but /labels has " +
                               std::to_string(labels.shape[0]) + " and /index " +
                               std::to_string(index.shape[0]) +
                               "; the store is damaged, rerun the stage that wrote it");
  }
  class_names_ = reader_.read_strings(kClassNames);
  check_class_names(class_names_, path);
  labels_ = reader_.read_int32(kLabels);
  index_ = reader_.read_int64(kIndex);
  augmented_ = reader_.has(kAugment);
  augment_.assign(rows_, 0);
  if (augmented_) {
    const DatasetInfo augment = require(reader_, kAugment, 1, role);
    if (augment.shape[0] != rows_) {
      throw InputError(path, "/augment has " + std::to_string(augment.shape[0]) +
                                 " values but /features has " + std::to_string(rows_) +
                                 " rows; the store is damaged, rerun the stage that "
                                 "wrote it");
    }
    const std::vector<int32_t> values = reader_.read_int32(kAugment);
    for (uint64_t i = 0; i < rows_; ++i) {
      if (values[i] != 0 && values[i] != 1) {
        throw InputError(path, "/augment of row " + std::to_string(i) + " is " + std::to_string(values[i]) +
                                   "; only 0 (as is) and 1 (mirrored) are known");
      }
      augment_[i] = static_cast<uint8_t>(values[i]);
    }
  }
  for (uint64_t i = 0; i < rows_; ++i) {
    if (labels_[i] < 0 || static_cast<size_t>(labels_[i]) >= class_names_.size()) {
      throw InputError(path, "row " + std::to_string(i) + " has label " + std::to_string(labels_[i]) +
                                 " but there are " + std::to_string(class_names_.size()) + " class names");
    }
  }
}

void FeatureStoreReader::read_rows(uint64_t begin, uint64_t count, float* out) const {
  reader_.read_rows(kFeatures, begin, count, out);
}

std::optional<MappedRows> FeatureStoreReader::map_features() const { return reader_.map_rows(kFeatures); }

std::vector<float> FeatureStoreReader::read_all() const {
  std::vector<float> out(rows_ * dim_);
  read_rows(0, rows_, out.data());
  return out;
}

ColumnMoments feature_moments(const FeatureStoreReader& store, StageObserver& observer) {
  constexpr uint64_t kBlockBytes = 8 << 20;
  const uint64_t dim = store.dim(), rows = store.rows();
  const uint64_t block_rows = std::max<uint64_t>(1, kBlockBytes / std::max<uint64_t>(1, dim * sizeof(float)));
  ColumnMoments moments(dim);
  RowMatrix<float> block(std::min(block_rows, rows), dim);
  observer.begin("statistics of " + store.store().path(), rows, "rows");
  for (uint64_t begin = 0; begin < rows; begin += block_rows) {
    const uint64_t count = std::min(block_rows, rows - begin);
    store.read_rows(begin, count, block.data());
    moments.add_block(block.topRows(count));
    observer.advance(count);
    observer.checkpoint();
  }
  observer.end();
  return moments;
}

}  // namespace featpipe::data
