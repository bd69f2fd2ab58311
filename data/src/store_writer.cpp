// StoreWriter: a featpipe HDF5 store written under a temporary name and renamed when complete.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/data/input_files.h"
#include "featpipe/data/store.h"
#include "featpipe/data/temporary_name.h"
#include "h5_util.h"

namespace featpipe::data {
namespace {

// Row datasets are chunked so that a chunk is about 1 MiB: large enough for fast sequential I/O, small
// enough to fit HDF5's default 1 MiB chunk cache, so appends of partial chunks are merged in memory.
constexpr uint64_t kRowChunkBytes = 1 << 20;
// Label / index columns are small beside the rows; 64 KiB chunks keep small stores small.
constexpr uint64_t kColumnChunkBytes = 64 << 10;
// HDF5 limits a chunk to 4 GiB.
constexpr uint64_t kMaxChunkBytes = (uint64_t{1} << 32) - 1;

uint64_t element_size(DType t) {
  switch (t) {
    case DType::float32:
    case DType::int32:
      return 4;
    case DType::float64:
    case DType::int64:
      return 8;
    case DType::uint8:
      return 1;
    case DType::string:
    case DType::other:
      break;
  }
  throw std::invalid_argument("store: " + to_string(t) + " is not a numeric column type");
}

// A dataset grown by appends: rows x cols for row datasets, cols == 0 for 1-D columns.
struct Growing {
  h5::Handle dataset;
  DType dtype;
  uint64_t rows = 0;
  uint64_t cols = 0;
};

}  // namespace

struct StoreWriter::Impl {
  std::string path, temp;
  h5::Handle file;
  std::map<std::string, Growing> growing;
  bool committed = false;
  bool abandoned = false;  // after a failed write: closed and removed

  ~Impl() {
    if (!committed) abandon();
  }

  // Closes the file. When its close fails (its last flush hit the same full disk), HDF5 keeps it open: its
  // descriptor is then cut to length 0, so that the file, removed next, holds no disk space while the
  // process lives.
  bool close_file() noexcept {
    int* descriptor = nullptr;
    if (!file || H5Fget_vfd_handle(file.get(), H5P_DEFAULT, reinterpret_cast<void**>(&descriptor)) < 0) {
      descriptor = nullptr;
    }
    const int fd = descriptor != nullptr ? *descriptor : -1;
    if (file.reset()) return true;
    if (fd >= 0) {
      const int ignored = ::ftruncate(fd, 0);
      (void)ignored;
    }
    return false;
  }

  // Closes what is open of the unfinished file, datasets before the file, and removes it.
  void abandon() noexcept {
    if (abandoned) return;
    abandoned = true;
    growing.clear();
    close_file();
    H5Eclear2(H5E_DEFAULT);
    std::remove(temp.c_str());
  }

  // Runs a write to the file: any failure of it (a full disk, a file size limit, an I/O error) abandons the
  // file and is a RunError, so that no half-written store is left and every HDF5 id of it is closed here, in
  // order, rather than at exit.
  template <typename Write>
  void writing(Write&& write) {
    try {
      write();
    } catch (const InputError& e) {
      abandon();
      throw RunError(e.what());
    }
  }

  // A second dataset of the same name is the caller's mistake, told apart from a failed write.
  void check_new(const std::string& dataset_name, const std::string& what) const {
    if (H5Lexists(file.get(), dataset_name.c_str(), H5P_DEFAULT) > 0) {
      H5Eclear2(H5E_DEFAULT);
      throw InputError(path, what + ": it already exists");
    }
    H5Eclear2(H5E_DEFAULT);
  }

  void check_open(const char* what) const {
    if (committed)
      throw std::logic_error("StoreWriter::" + std::string(what) + ": " + path + " is already committed");
    if (abandoned) {
      throw std::logic_error("StoreWriter::" + std::string(what) + ": " + path +
                             " was abandoned after a failed write");
    }
  }

  void write_array(const std::string& name, DType dtype, const void* data,
                   const std::vector<uint64_t>& shape);
  void create_growing(const std::string& name, DType dtype, uint64_t cols, uint64_t chunk_rows);
  void append(const std::string& name, hid_t memory_type, bool rows, const void* data, uint64_t count);
};

void StoreWriter::Impl::write_array(const std::string& name, DType dtype, const void* data,
                                    const std::vector<uint64_t>& shape) {
  check_open("write");
  const std::string dataset_name = h5::absolute_name(name);
  if (shape.empty() || shape.size() > H5S_MAX_RANK) {
    throw std::invalid_argument("StoreWriter::write " + dataset_name + ": shape needs 1 to 32 dimensions");
  }
  const std::string what = "cannot write dataset " + dataset_name;
  check_new(dataset_name, what);
  writing([&] {
    const std::vector<hsize_t> dims(shape.begin(), shape.end());
    h5::Handle space = h5::check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                                 H5Sclose, path, what);
    h5::Handle lcpl = h5::intermediate_groups_lcpl(path);
    h5::Handle dataset = h5::check(H5Dcreate2(file.get(), dataset_name.c_str(), h5::file_type(dtype),
                                              space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
                                   H5Dclose, path, what);
    if (H5Sget_simple_extent_npoints(space.get()) > 0) {
      h5::check(H5Dwrite(dataset.get(), h5::native_type(dtype), H5S_ALL, H5S_ALL, H5P_DEFAULT, data), path,
                what);
    }
  });
}

void StoreWriter::Impl::create_growing(const std::string& name, DType dtype, uint64_t cols,
                                       uint64_t chunk_rows) {
  check_open("create");
  const std::string dataset_name = h5::absolute_name(name);
  const std::string what = "cannot create dataset " + dataset_name;
  check_new(dataset_name, what);
  writing([&] {
    const uint64_t row_bytes = element_size(dtype) * std::max<uint64_t>(cols, 1);
    if (chunk_rows == 0) {
      chunk_rows = std::max<uint64_t>(1, (cols > 0 ? kRowChunkBytes : kColumnChunkBytes) / row_bytes);
    }
    if (chunk_rows > kMaxChunkBytes / row_bytes) {
      throw std::invalid_argument("StoreWriter " + dataset_name + ": a chunk of " +
                                  std::to_string(chunk_rows) + " rows exceeds HDF5's 4 GiB chunk limit");
    }

    const int rank = cols > 0 ? 2 : 1;
    const hsize_t dims[2] = {0, cols};
    const hsize_t max_dims[2] = {H5S_UNLIMITED, cols};
    const hsize_t chunk[2] = {chunk_rows, cols};
    h5::Handle space = h5::check(H5Screate_simple(rank, dims, max_dims), H5Sclose, path, what);
    h5::Handle dcpl = h5::check(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, path, what);
    h5::check(H5Pset_chunk(dcpl.get(), rank, chunk), path, what);
    // Every element is written by an append, so filling new chunks first would only cost time.
    h5::check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER), path, what);
    h5::Handle lcpl = h5::intermediate_groups_lcpl(path);
    Growing g;
    g.dataset = h5::check(H5Dcreate2(file.get(), dataset_name.c_str(), h5::file_type(dtype), space.get(),
                                     lcpl.get(), dcpl.get(), H5P_DEFAULT),
                          H5Dclose, path, what);
    g.dtype = dtype;
    g.cols = cols;
    growing.emplace(dataset_name, std::move(g));
  });
}

void StoreWriter::Impl::append(const std::string& name, hid_t memory_type, bool rows, const void* data,
                               uint64_t count) {
  check_open("append");
  writing([&] {
    const std::string dataset_name = h5::absolute_name(name);
    const auto it = growing.find(dataset_name);
    if (it == growing.end() || (it->second.cols > 0) != rows) {
      throw std::logic_error("StoreWriter: " + dataset_name + " was not created with " +
                             (rows ? "create_rows" : "create_column"));
    }
    if (count == 0) return;
    Growing& g = it->second;
    const std::string what = "cannot append to " + dataset_name;
    const int rank = rows ? 2 : 1;
    const hsize_t extent[2] = {g.rows + count, g.cols};
    const hsize_t start[2] = {g.rows, 0};
    const hsize_t block[2] = {count, g.cols};
    h5::check(H5Dset_extent(g.dataset.get(), extent), path, what);
    h5::Handle file_space = h5::check(H5Dget_space(g.dataset.get()), H5Sclose, path, what);
    h5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr), path,
              what);
    h5::Handle memory_space = h5::check(H5Screate_simple(rank, block, nullptr), H5Sclose, path, what);
    h5::check(H5Dwrite(g.dataset.get(), memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, data),
              path, what);
    g.rows += count;
  });
}

StoreWriter::StoreWriter(const std::string& path, const std::string& kind, const nlohmann::json& provenance)
    : impl_(std::make_unique<Impl>()) {
  namespace fs = std::filesystem;
  h5::silence_errors();
  if (path.empty()) throw InputError("(output)", "the store path is empty; give a file name");
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw InputError(path, fs::exists(dir, ec)
                               ? dir.string() + " is not a directory"
                               : "directory " + dir.string() + " does not exist; create it first");
  }
  if (fs::is_directory(path, ec)) throw InputError(path, "is a directory; give a file name");
  if (const auto input = input_named_by(path)) {
    throw InputError(path, "names the same file as the input " + *input +
                               ", which writing it would destroy; give another output path");
  }

  impl_->path = path;
  remove_stale_temporaries(path);
  impl_->temp = temporary_name(path);
  errno = 0;
  const hid_t file = H5Fcreate(impl_->temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) {
    const int error = errno;
    const std::string reason = error != 0 ? std::strerror(error) : h5::last_error();
    H5Eclear2(H5E_DEFAULT);
    const std::string problem = "cannot create the temporary file " + impl_->temp + " (" + reason + ")";
    if (error == ENOSPC || error == EDQUOT || error == EFBIG || error == EIO) {
      throw RunError(path + ": " + problem);  // a failed write, not a folder the user must fix
    }
    throw InputError(path, problem + "; check that " + dir.string() + " is writable");
  }
  impl_->file = h5::Handle(file, H5Fclose);

  impl_->writing([&] {
    const hid_t root = impl_->file.get();
    h5::write_string_attribute(root, "featpipe_kind", kind, path);
    h5::write_int_attribute(root, "featpipe_version", kStoreVersion, path);
    h5::write_string_attribute(root, "created", utc_now(), path);
    // Invalid UTF-8 in a user-supplied spec must not abort the write; replace it with U+FFFD.
    h5::write_string_attribute(
        root, "provenance", provenance.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), path);
  });
}

StoreWriter::~StoreWriter() = default;

void StoreWriter::write(const std::string& name, const float* data, const std::vector<uint64_t>& shape) {
  h5::on_this_thread(impl_).write_array(name, DType::float32, data, shape);
}
void StoreWriter::write(const std::string& name, const double* data, const std::vector<uint64_t>& shape) {
  h5::on_this_thread(impl_).write_array(name, DType::float64, data, shape);
}
void StoreWriter::write(const std::string& name, const int32_t* data, const std::vector<uint64_t>& shape) {
  h5::on_this_thread(impl_).write_array(name, DType::int32, data, shape);
}
void StoreWriter::write(const std::string& name, const int64_t* data, const std::vector<uint64_t>& shape) {
  h5::on_this_thread(impl_).write_array(name, DType::int64, data, shape);
}
void StoreWriter::write(const std::string& name, const uint8_t* data, const std::vector<uint64_t>& shape) {
  h5::on_this_thread(impl_).write_array(name, DType::uint8, data, shape);
}

void StoreWriter::write_strings(const std::string& name, const std::vector<std::string>& values) {
  Impl& s = h5::on_this_thread(impl_);
  s.check_open("write_strings");
  const std::string dataset_name = h5::absolute_name(name);
  const std::string what = "cannot write dataset " + dataset_name;
  s.check_new(dataset_name, what);
  s.writing([&] {
    const hsize_t dims[1] = {values.size()};
    h5::Handle type = h5::utf8_string_type();
    h5::Handle space = h5::check(H5Screate_simple(1, dims, nullptr), H5Sclose, s.path, what);
    h5::Handle lcpl = h5::intermediate_groups_lcpl(s.path);
    h5::Handle dataset = h5::check(H5Dcreate2(s.file.get(), dataset_name.c_str(), type.get(), space.get(),
                                              lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
                                   H5Dclose, s.path, what);
    if (values.empty()) return;
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const std::string& v : values) pointers.push_back(v.c_str());
    h5::check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), s.path,
              what);
  });
}

void StoreWriter::set_attribute(const std::string& key, const std::string& value) {
  Impl& s = h5::on_this_thread(impl_);
  s.check_open("set_attribute");
  s.writing([&] { h5::write_string_attribute(s.file.get(), key, value, s.path); });
}

void StoreWriter::set_provenance(const nlohmann::json& provenance) {
  Impl& s = h5::on_this_thread(impl_);
  s.check_open("set_provenance");
  s.writing([&] {
    h5::write_string_attribute(s.file.get(), "provenance",
                               provenance.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                               s.path);
  });
}

void StoreWriter::create_rows(const std::string& name, uint64_t cols, uint64_t chunk_rows) {
  if (cols == 0) {
    throw std::invalid_argument("StoreWriter::create_rows " + h5::absolute_name(name) +
                                ": needs at least 1 column");
  }
  h5::on_this_thread(impl_).create_growing(name, DType::float32, cols, chunk_rows);
}

void StoreWriter::append_rows(const std::string& name, const float* rows, uint64_t count) {
  h5::on_this_thread(impl_).append(name, H5T_NATIVE_FLOAT, true, rows, count);
}

void StoreWriter::create_column(const std::string& name, DType dtype) {
  h5::on_this_thread(impl_).create_growing(name, dtype, 0, 0);
}

void StoreWriter::append_column(const std::string& name, const int32_t* values, uint64_t count) {
  h5::on_this_thread(impl_).append(name, H5T_NATIVE_INT32, false, values, count);
}

void StoreWriter::append_column(const std::string& name, const int64_t* values, uint64_t count) {
  h5::on_this_thread(impl_).append(name, H5T_NATIVE_INT64, false, values, count);
}

void StoreWriter::append_column(const std::string& name, const uint8_t* values, uint64_t count) {
  h5::on_this_thread(impl_).append(name, H5T_NATIVE_UINT8, false, values, count);
}

void StoreWriter::write_virtual(const std::string& name, DType dtype, uint64_t cols,
                                const std::vector<VirtualSource>& sources) {
  Impl& s = h5::on_this_thread(impl_);
  s.check_open("write_virtual");
  const std::string dataset_name = h5::absolute_name(name);
  const std::string what = "cannot create virtual dataset " + dataset_name;
  s.check_new(dataset_name, what);
  s.writing([&] {
    const int rank = cols > 0 ? 2 : 1;
    uint64_t total = 0;
    for (const VirtualSource& source : sources) total += source.rows;
    const hsize_t dims[2] = {total, cols};
    h5::Handle space = h5::check(H5Screate_simple(rank, dims, nullptr), H5Sclose, s.path, what);
    h5::Handle dcpl = h5::check(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, s.path, what);
    // What a reader that does not check the sources (h5py) sees of a missing one: NaN, or -1 (never a
    // label or an index), rather than zeros that pass for data.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const int64_t minus_one = -1;
    if (dtype == DType::float32 || dtype == DType::float64) {
      h5::check(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_DOUBLE, &nan), s.path, what);
    } else if (dtype == DType::int32 || dtype == DType::int64) {
      h5::check(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_INT64, &minus_one), s.path, what);
    }
    uint64_t first = 0;
    for (const VirtualSource& source : sources) {
      if (source.rows == 0) continue;
      const hsize_t start[2] = {first, 0}, block[2] = {source.rows, cols};
      h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr), s.path,
                what);
      h5::Handle source_space = h5::check(H5Screate_simple(rank, block, nullptr), H5Sclose, s.path, what);
      h5::check(H5Pset_virtual(dcpl.get(), space.get(), source.file.c_str(),
                               h5::absolute_name(source.dataset).c_str(), source_space.get()),
                s.path, what + " over " + source.file);
      first += source.rows;
    }
    h5::check(H5Sselect_all(space.get()), s.path, what);
    h5::Handle lcpl = h5::intermediate_groups_lcpl(s.path);
    h5::check(H5Dcreate2(s.file.get(), dataset_name.c_str(), h5::file_type(dtype), space.get(), lcpl.get(),
                         dcpl.get(), H5P_DEFAULT),
              H5Dclose, s.path, what);
  });
}

void StoreWriter::commit() {
  Impl& s = h5::on_this_thread(impl_);
  s.check_open("commit");
  s.writing([&] {
    const std::string what = "cannot finish writing " + s.temp;
    for (auto& [name, g] : s.growing) {
      if (!g.dataset.reset()) h5::fail(s.path, what);
    }
    s.growing.clear();
    h5::check(H5Fflush(s.file.get(), H5F_SCOPE_GLOBAL), s.path, what);
    if (!s.close_file()) h5::fail(s.path, what);
    if (std::rename(s.temp.c_str(), s.path.c_str()) != 0) {
      throw InputError(s.path, "cannot rename " + s.temp + " to it: " + std::strerror(errno));
    }
  });
  s.committed = true;
}

const std::string& StoreWriter::path() const { return h5::on_this_thread(impl_).path; }

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace featpipe::data
