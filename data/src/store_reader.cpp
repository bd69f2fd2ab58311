// StoreReader: opens a featpipe HDF5 store, refusing anything that is not one of this version.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>
#include <type_traits>

#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/data/input_files.h"
#include "featpipe/data/store.h"
#include "h5_util.h"
#include "store_reader_impl.h"

namespace featpipe::data {
namespace {

// Deflate, the one compression filter every HDF5 build has, shrinks data by at most about 1032:1.
constexpr double kMaxCompression = 1100;

/// InputError unless the file holds the data the dataset declares: a damaged header can declare any shape,
/// and reading it would then ask for that much memory. Compressed data may be smaller, by kMaxCompression.
void check_stored(hid_t dataset, hid_t type, hid_t dcpl, const DatasetInfo& info, const std::string& path) {
  double elements = 1;
  std::string shape;
  for (uint64_t d : info.shape) {
    elements *= double(d);
    shape += (shape.empty() ? "" : " x ") + std::to_string(d);
  }
  if (elements == 0) return;
  const double declared = elements * double(H5Tget_size(type));
  const double stored = double(H5Dget_storage_size(dataset));
  if (declared <= (H5Pget_nfilters(dcpl) > 0 ? stored * kMaxCompression : stored)) return;
  char bytes[64];
  std::snprintf(bytes, sizeof bytes, "%.4g bytes but the file holds %.0f", declared, stored);
  throw InputError(path, info.name + " declares " + shape + " values, " + bytes +
                             " of them; the store is damaged, rerun the stage that wrote it");
}

/// The text an H5Pget_virtual_filename-like call returns for mapping i.
template <typename Get>
std::string virtual_name(Get&& get, hid_t dcpl, size_t i, const std::string& path, const std::string& name) {
  const ssize_t length = get(dcpl, i, nullptr, 0);
  if (length < 0) h5::fail(path, "cannot read the mappings of virtual dataset " + name);
  std::string text(static_cast<size_t>(length) + 1, '\0');
  get(dcpl, i, text.data(), text.size());
  text.resize(static_cast<size_t>(length));
  return text;
}

/// The sources of a virtual dataset, each checked to exist and to hold the rows mapped from it: HDF5 reads
/// a missing source as fill values, which would pass for data.
std::vector<VirtualSource> checked_sources(hid_t dcpl, const DatasetInfo& info, const std::string& path) {
  namespace fs = std::filesystem;
  size_t count = 0;
  if (H5Pget_virtual_count(dcpl, &count) < 0) h5::fail(path, "cannot read the mappings of " + info.name);
  std::vector<VirtualSource> sources;
  const fs::path folder = fs::path(path).parent_path();
  for (size_t i = 0; i < count; ++i) {
    VirtualSource source;
    source.file = virtual_name(H5Pget_virtual_filename, dcpl, i, path, info.name);
    source.dataset = virtual_name(H5Pget_virtual_dsetname, dcpl, i, path, info.name);
    h5::Handle mapped =
        h5::check(H5Pget_virtual_vspace(dcpl, i), H5Sclose, path, "cannot read the mappings of " + info.name);
    hsize_t start[H5S_MAX_RANK] = {}, end[H5S_MAX_RANK] = {};
    h5::check(H5Sget_select_bounds(mapped.get(), start, end), path,
              "cannot read the mappings of " + info.name);
    source.first = start[0];
    source.rows = end[0] - start[0] + 1;
    const fs::path file = fs::path(source.file).is_relative() ? folder / source.file : fs::path(source.file);
    const std::string where = info.name + " maps rows " + std::to_string(source.first) + " to " +
                              std::to_string(source.first + source.rows - 1) + " from " + file.string();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      throw InputError(path, where +
                                 ", which is missing: the shards of a sharded store stay beside it "
                                 "(rerun the stage, or keep the store's .shards folder with it)");
    }
    const hid_t opened = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (opened < 0) {
      H5Eclear2(H5E_DEFAULT);
      throw InputError(path, where + ", which is not a readable HDF5 file; rerun the stage");
    }
    h5::Handle shard(opened, H5Fclose);
    const hid_t data = H5Dopen2(shard.get(), source.dataset.c_str(), H5P_DEFAULT);
    if (data < 0) {
      H5Eclear2(H5E_DEFAULT);
      throw InputError(path, where + ", which has no dataset " + source.dataset + "; rerun the stage");
    }
    h5::Handle source_dataset(data, H5Dclose);
    h5::Handle space = h5::check(H5Dget_space(source_dataset.get()), H5Sclose, path, where);
    const std::vector<uint64_t> dims = h5::dataspace_dims(space.get());
    if (dims.size() != info.shape.size() || dims[0] != source.rows ||
        !std::equal(dims.begin() + 1, dims.end(), info.shape.begin() + 1)) {
      std::string shape;
      for (uint64_t d : dims) shape += (shape.empty() ? "" : " x ") + std::to_string(d);
      throw InputError(path, where + ", which holds " + shape +
                                 " values instead; the shard was replaced, "
                                 "rerun the stage");
    }
    sources.push_back(std::move(source));
  }
  return sources;
}

DatasetInfo describe(hid_t dataset, const std::string& name, const std::string& path) {
  DatasetInfo info;
  info.name = name;
  h5::Handle type = h5::check(H5Dget_type(dataset), H5Tclose, path, "cannot read the type of " + name);
  info.dtype = h5::dtype_of(type.get());
  h5::Handle space = h5::check(H5Dget_space(dataset), H5Sclose, path, "cannot read the shape of " + name);
  info.shape = h5::dataspace_dims(space.get());
  h5::Handle dcpl =
      h5::check(H5Dget_create_plist(dataset), H5Pclose, path, "cannot read the layout of " + name);
  if (H5Pget_layout(dcpl.get()) == H5D_CHUNKED) {
    std::vector<hsize_t> chunk(info.shape.size());
    const int rank = H5Pget_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data());
    if (rank < 0) h5::fail(path, "cannot read the chunking of " + name);
    info.chunk.assign(chunk.begin(), chunk.begin() + rank);
  }
  if (H5Pget_layout(dcpl.get()) == H5D_VIRTUAL) {
    info.sources = checked_sources(dcpl.get(), info, path);  // the data lives in them
    return info;
  }
  check_stored(dataset, type.get(), dcpl.get(), info, path);
  return info;
}

// State of the recursive walk in StoreReader::list(). HDF5 calls back through C, so an exception is kept
// and rethrown after the walk instead of unwinding through the library.
struct Walk {
  const std::string* path;
  std::string group;  // "" for the root, else "/a/b"
  std::vector<DatasetInfo>* out;
  int depth = 0;
  std::exception_ptr error;
};

herr_t visit_link(hid_t group, const char* name, const H5L_info_t* link, void* data);

void walk_group(hid_t group, Walk& walk) {
  // A group reachable from itself through hard links would recurse forever; stores are never that deep.
  constexpr int kMaxDepth = 64;
  if (walk.depth > kMaxDepth) throw InputError(*walk.path, "groups nest deeper than 64 levels (a cycle?)");
  hsize_t position = 0;
  const herr_t status = H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &position, visit_link, &walk);
  if (walk.error) std::rethrow_exception(walk.error);
  h5::check(status, *walk.path, "cannot list group " + (walk.group.empty() ? "/" : walk.group));
}

herr_t visit_link(hid_t group, const char* name, const H5L_info_t* link, void* data) {
  Walk& walk = *static_cast<Walk*>(data);
  if (link->type != H5L_TYPE_HARD) return 0;  // soft and external links may dangle or leave the file
  try {
    const std::string full = walk.group + "/" + name;
    h5::Handle object =
        h5::check(H5Oopen(group, name, H5P_DEFAULT), H5Oclose, *walk.path, "cannot open " + full);
    const H5I_type_t type = H5Iget_type(object.get());
    if (type == H5I_DATASET) {
      walk.out->push_back(describe(object.get(), full, *walk.path));
    } else if (type == H5I_GROUP) {
      Walk inner{walk.path, full, walk.out, walk.depth + 1, nullptr};
      walk_group(object.get(), inner);
    }
    return 0;
  } catch (...) {
    walk.error = std::current_exception();
    return -1;
  }
}

template <typename T>
std::vector<T> read_numeric(hid_t dataset, const DatasetInfo& info, hid_t memory_type,
                            const std::string& path) {
  const std::string& name = info.name;
  if (info.dtype == DType::string) throw InputError(path, name + " holds strings, not numbers");
  uint64_t count = 1;
  for (uint64_t d : info.shape) count *= d;
  std::vector<T> out(count);
  if constexpr (std::is_integral_v<T>) {
    // HDF5 converts floating-point values to integers by truncation (a label 0.7 read as 0): they are read
    // as they are and must be whole numbers in range.
    if (info.dtype == DType::float32 || info.dtype == DType::float64) {
      const std::vector<double> values = read_numeric<double>(dataset, info, H5T_NATIVE_DOUBLE, path);
      for (uint64_t i = 0; i < count; ++i) {
        const double v = values[i];
        if (!(v == std::trunc(v) && v >= double(std::numeric_limits<T>::min()) &&
              v <= double(std::numeric_limits<T>::max()))) {
          throw InputError(path, name + " is " + to_string(info.dtype) + " and holds " +
                                     format_significant(v, info.dtype == DType::float32 ? 7 : 15) +
                                     " at position " + std::to_string(i) +
                                     ", which is not a whole number in " + "range; it must hold integers");
        }
        out[i] = static_cast<T>(v);
      }
      return out;
    }
  }
  if (count > 0) {
    h5::check(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), path,
              "cannot read " + name);
  }
  return out;
}

}  // namespace

std::string to_string(DType t) {
  switch (t) {
    case DType::float32:
      return "float32";
    case DType::float64:
      return "float64";
    case DType::int32:
      return "int32";
    case DType::int64:
      return "int64";
    case DType::uint8:
      return "uint8";
    case DType::string:
      return "string";
    case DType::other:
      return "other";
  }
  return "unknown";
}

const DatasetInfo& StoreReader::Impl::info(const std::string& name) const {
  const std::string full = h5::absolute_name(name);
  const auto it = infos.find(full);
  if (it != infos.end()) return it->second;
  return infos.emplace(full, describe(dataset(full), full, path)).first->second;
}

hid_t StoreReader::Impl::dataset(const std::string& name) const {
  const std::string full = h5::absolute_name(name);
  const auto it = datasets.find(full);
  if (it != datasets.end()) return it->second.get();
  const std::string hint = " (see `featpipe inspect " + path + "` for what it holds)";
  for (size_t slash = full.find('/', 1);; slash = full.find('/', slash + 1)) {
    const std::string prefix = full.substr(0, slash);
    if (H5Lexists(file.get(), prefix.c_str(), H5P_DEFAULT) <= 0) {
      throw InputError(path, "has no dataset " + full + hint);
    }
    if (slash == std::string::npos) break;
  }
  const hid_t id = H5Dopen2(file.get(), full.c_str(), H5P_DEFAULT);
  if (id < 0) {
    H5Eclear2(H5E_DEFAULT);
    throw InputError(path, full + " is not a dataset" + hint);
  }
  return datasets.emplace(full, h5::Handle(id, H5Dclose)).first->second.get();
}

StoreReader::StoreReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  namespace fs = std::filesystem;
  h5::silence_errors();
  impl_->path = path;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path, "does not exist");
  if (fs::is_directory(path, ec)) throw InputError(path, "is a directory, not a store file");
  require_regular_file(path);
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0 && !std::ifstream(path)) throw InputError(path, "cannot be read; check its permissions");
  H5Eclear2(H5E_DEFAULT);
  if (is_hdf5 <= 0) throw InputError(path, "is not an HDF5 file; give a store written by featpipe");
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) {
    const std::string reason = h5::last_error();
    H5Eclear2(H5E_DEFAULT);
    std::string problem = "cannot be opened as an HDF5 file (HDF5: " + reason + ")";
    if (reason.find("unable to lock") != std::string::npos) {
      problem += "; another program has it open for writing (HDF5_USE_FILE_LOCKING=FALSE skips this check)";
    } else if (reason.find("truncated file") != std::string::npos) {
      problem += "; the file is incomplete, e.g. a copy that was cut short";
    }
    throw InputError(path, problem);
  }
  impl_->file = h5::Handle(file, H5Fclose);
  note_input(path);  // no output of this process may replace it (input_files.h)

  const hid_t root = impl_->file.get();
  const auto kind = h5::read_attribute_text(root, "featpipe_kind", path);
  if (!kind) throw InputError(path, "is not a featpipe store (no featpipe_kind attribute)");
  impl_->kind = *kind;
  const auto version = h5::read_attribute_text(root, "featpipe_version", path);
  if (!version) throw InputError(path, "is not a featpipe store (no featpipe_version attribute)");
  size_t used = 0;
  try {
    impl_->version = std::stoi(*version, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != version->size()) {
    throw InputError(path, "featpipe_version '" + *version + "' is not a version number");
  }
  if (impl_->version != kStoreVersion) {
    throw InputError(path, "written by featpipe store version " + *version +
                               ", this featpipe reads version " + std::to_string(kStoreVersion) +
                               "; use the featpipe that wrote it, or rerun the stage");
  }
}

StoreReader::~StoreReader() = default;

const std::string& StoreReader::path() const { return h5::on_this_thread(impl_).path; }
std::string StoreReader::kind() const { return h5::on_this_thread(impl_).kind; }
int StoreReader::version() const { return h5::on_this_thread(impl_).version; }

std::string StoreReader::created() const {
  return h5::read_attribute_text(h5::on_this_thread(impl_).file.get(), "created",
                                 h5::on_this_thread(impl_).path)
      .value_or("");
}

nlohmann::json StoreReader::provenance() const {
  const auto text = h5::read_attribute_text(h5::on_this_thread(impl_).file.get(), "provenance",
                                            h5::on_this_thread(impl_).path);
  if (!text) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(h5::on_this_thread(impl_).path,
                     std::string("its provenance attribute is not valid JSON: ") + e.what());
  }
}

std::vector<std::pair<std::string, std::string>> StoreReader::attributes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& key :
       h5::attribute_names(h5::on_this_thread(impl_).file.get(), h5::on_this_thread(impl_).path)) {
    try {
      out.emplace_back(key, h5::read_attribute_text(h5::on_this_thread(impl_).file.get(), key,
                                                    h5::on_this_thread(impl_).path)
                                .value_or(""));
    } catch (const InputError&) {
      out.emplace_back(key, "(not a single string or number)");
    }
  }
  return out;
}

std::string StoreReader::attribute(const std::string& key) const {
  const auto text =
      h5::read_attribute_text(h5::on_this_thread(impl_).file.get(), key, h5::on_this_thread(impl_).path);
  if (!text) throw InputError(h5::on_this_thread(impl_).path, "has no root attribute " + key);
  return *text;
}

bool StoreReader::has(const std::string& name) const {
  const std::string full = h5::absolute_name(name);
  if (full == "/") return true;
  for (size_t slash = full.find('/', 1);; slash = full.find('/', slash + 1)) {
    if (H5Lexists(h5::on_this_thread(impl_).file.get(), full.substr(0, slash).c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
    if (slash == std::string::npos) return true;
  }
}

DatasetInfo StoreReader::info(const std::string& name) const { return h5::on_this_thread(impl_).info(name); }

std::vector<DatasetInfo> StoreReader::list() const {
  std::vector<DatasetInfo> out;
  Walk walk{&h5::on_this_thread(impl_).path, "", &out, 0, nullptr};
  walk_group(h5::on_this_thread(impl_).file.get(), walk);
  return out;
}

std::vector<float> StoreReader::read_floats(const std::string& name) const {
  return read_numeric<float>(h5::on_this_thread(impl_).dataset(name), h5::on_this_thread(impl_).info(name),
                             H5T_NATIVE_FLOAT, h5::on_this_thread(impl_).path);
}
std::vector<double> StoreReader::read_doubles(const std::string& name) const {
  return read_numeric<double>(h5::on_this_thread(impl_).dataset(name), h5::on_this_thread(impl_).info(name),
                              H5T_NATIVE_DOUBLE, h5::on_this_thread(impl_).path);
}
std::vector<int32_t> StoreReader::read_int32(const std::string& name) const {
  return read_numeric<int32_t>(h5::on_this_thread(impl_).dataset(name), h5::on_this_thread(impl_).info(name),
                               H5T_NATIVE_INT32, h5::on_this_thread(impl_).path);
}
std::vector<int64_t> StoreReader::read_int64(const std::string& name) const {
  return read_numeric<int64_t>(h5::on_this_thread(impl_).dataset(name), h5::on_this_thread(impl_).info(name),
                               H5T_NATIVE_INT64, h5::on_this_thread(impl_).path);
}

std::vector<std::string> StoreReader::read_strings(const std::string& name) const {
  h5::on_this_thread(impl_).info(name);  // refuses a damaged declaration before reading
  return h5::read_string_dataset(h5::on_this_thread(impl_).dataset(name), h5::on_this_thread(impl_).path,
                                 h5::absolute_name(name));
}

void StoreReader::read_rows(const std::string& name, uint64_t begin, uint64_t count, float* out) const {
  const std::string full = h5::absolute_name(name);
  const hid_t dataset = h5::on_this_thread(impl_).dataset(full);
  const DatasetInfo& info = h5::on_this_thread(impl_).info(full);
  if (info.shape.size() != 2) {
    throw InputError(h5::on_this_thread(impl_).path,
                     full + " has " + std::to_string(info.shape.size()) + " dimensions; rows need 2");
  }
  if (info.dtype == DType::string)
    throw InputError(h5::on_this_thread(impl_).path, full + " holds strings, not numbers");
  const uint64_t rows = info.shape[0];
  if (begin > rows || count > rows - begin) {
    throw std::out_of_range("StoreReader::read_rows: rows [" + std::to_string(begin) + ", " +
                            std::to_string(begin + count) + ") of " + full + " in " +
                            h5::on_this_thread(impl_).path + ", which has " + std::to_string(rows));
  }
  if (count == 0) return;
  const std::string what = "cannot read rows of " + full;
  const hsize_t start[2] = {begin, 0};
  const hsize_t block[2] = {count, info.shape[1]};
  h5::Handle file_space = h5::check(H5Dget_space(dataset), H5Sclose, h5::on_this_thread(impl_).path, what);
  h5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr),
            h5::on_this_thread(impl_).path, what);
  h5::Handle memory_space =
      h5::check(H5Screate_simple(2, block, nullptr), H5Sclose, h5::on_this_thread(impl_).path, what);
  h5::check(H5Dread(dataset, H5T_NATIVE_FLOAT, memory_space.get(), file_space.get(), H5P_DEFAULT, out),
            h5::on_this_thread(impl_).path, what);
}

}  // namespace featpipe::data
