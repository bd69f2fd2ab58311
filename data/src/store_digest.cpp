#include "featpipe/data/store_digest.h"

#include "featpipe/core/digest.h"

namespace featpipe::data {
namespace {

template <typename T>
void hash_values(Fnv1a64& h, const std::vector<T>& values) {
  h.update(values.data(), values.size() * sizeof(T));  // x86-64 stores them little-endian
}

void hash_dataset(Fnv1a64& h, const StoreReader& store, const DatasetInfo& info) {
  h.update(info.name);
  h.update(to_string(info.dtype));
  h.update_u64(info.shape.size());
  for (uint64_t extent : info.shape) h.update_u64(extent);
  switch (info.dtype) {
    case DType::float32:
      hash_values(h, store.read_floats(info.name));
      break;
    case DType::string:
      for (const std::string& s : store.read_strings(info.name)) {
        h.update_u64(s.size());
        h.update(s);
      }
      break;
    case DType::int32:
    case DType::int64:
    case DType::uint8:
      hash_values(h, store.read_int64(info.name));
      break;
    default:  // float64, and numbers of types featpipe does not write
      hash_values(h, store.read_doubles(info.name));
  }
}

}  // namespace

std::string content_digest(const StoreReader& store) {
  Fnv1a64 h;
  for (const DatasetInfo& info : store.list()) hash_dataset(h, store, info);
  return h.text();
}

std::string content_digest(const std::string& path) { return content_digest(StoreReader(path)); }

}  // namespace featpipe::data
