// The HDF5 store readers. Input: a file, opened with StoreReader (everything it exposes: attributes,
// provenance, the dataset list, each dataset read whole and by rows) and with FeatureStoreReader.
#include <algorithm>

#include "featpipe/core/errors.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/data/store.h"
#include "fuzz_files.h"

namespace {

using namespace featpipe;

void read_store(const std::string& path) {
  const data::StoreReader store(path);
  store.kind(), store.created(), store.version();
  store.attributes();
  try {
    store.provenance();
  } catch (const InputError&) {
  }
  for (const data::DatasetInfo& listed : store.list()) {
    if (!store.has(listed.name)) std::abort();
    const data::DatasetInfo info = store.info(listed.name);
    try {
      switch (info.dtype) {
        case data::DType::string:
          store.read_strings(info.name);
          break;
        case data::DType::int32:
        case data::DType::uint8:
          store.read_int32(info.name);
          break;
        case data::DType::int64:
          store.read_int64(info.name);
          break;
        case data::DType::float64:
          store.read_doubles(info.name);
          break;
        default:
          store.read_floats(info.name);
          break;
      }
      if (info.shape.size() == 2 && info.dtype != data::DType::string && info.shape[0] > 0) {
        std::vector<float> row(info.shape[1]);
        store.read_rows(info.name, info.shape[0] - 1, 1, row.data());
      }
    } catch (const InputError&) {
    }
  }
}

void read_feature_store(const std::string& path) {
  const data::FeatureStoreReader store(path, "");  // any kind
  const std::vector<float> all = store.read_all();
  if (all.size() != store.rows() * store.dim()) std::abort();
  if (store.rows() > 0) {
    std::vector<float> row(store.dim());
    store.read_rows(store.rows() - 1, 1, row.data());
    if (!std::equal(row.begin(), row.end(), all.end() - store.dim())) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = (fuzz::scratch_dir() / "store.h5").string();
  fuzz::write_file(path, data, size);
  try {
    read_store(path);
  } catch (const InputError&) {
  }
  try {
    read_feature_store(path);
  } catch (const InputError&) {
  }
  return 0;
}
