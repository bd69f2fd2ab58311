// StoreReader::map_rows: a 2-D float32 dataset read in place through a memory map of its file. HDF5
// reports where each chunk lies (H5Dget_chunk_info_by_coord) and that it is stored as is (no filter);
// the rows are then the file's bytes.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "featpipe/data/store.h"
#include "h5_util.h"
#include "store_reader_impl.h"

namespace featpipe::data {
namespace {

/// Where rows [first, first + count) lie in the file.
struct StoredRows {
  uint64_t first, count;
  haddr_t address;
};

/// The runs of rows of a chunked dataset of whole-row chunks, one per chunk; nullopt when a chunk is not
/// written (its rows are fill values) or is filtered.
std::optional<std::vector<StoredRows>> stored_chunks(hid_t dataset, uint64_t rows, uint64_t chunk,
                                                     uint64_t row_bytes) {
  std::vector<StoredRows> out;
  for (uint64_t first = 0; first < rows; first += chunk) {
    const hsize_t offset[2] = {first, 0};
    unsigned filter_mask = 0;
    haddr_t address = HADDR_UNDEF;
    hsize_t size = 0;
    if (H5Dget_chunk_info_by_coord(dataset, offset, &filter_mask, &address, &size) < 0) {
      H5Eclear2(H5E_DEFAULT);
      return std::nullopt;
    }
    if (address == HADDR_UNDEF || filter_mask != 0 || size != chunk * row_bytes) return std::nullopt;
    out.push_back({first, std::min(chunk, rows - first), address});
  }
  return out;
}

/// The file descriptor HDF5 reads the file through, when that is the plain POSIX driver and the file has
/// no user block (HDF5 addresses are then file offsets).
std::optional<int> posix_descriptor(hid_t file) {
  h5::Handle fapl(H5Fget_access_plist(file), H5Pclose);
  h5::Handle fcpl(H5Fget_create_plist(file), H5Pclose);
  if (fapl.get() < 0 || fcpl.get() < 0 || H5Pget_driver(fapl.get()) != H5FD_SEC2) return std::nullopt;
  hsize_t user_block = 0;
  if (H5Pget_userblock(fcpl.get(), &user_block) < 0 || user_block != 0) return std::nullopt;
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file, fapl.get(), &handle) < 0 || !handle) return std::nullopt;
  return *static_cast<int*>(handle);
}

}  // namespace

MappedRows::~MappedRows() {
  if (base_) munmap(base_, length_);
}

MappedRows::MappedRows(MappedRows&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      length_(std::exchange(other.length_, 0)),
      row_bytes_(other.row_bytes_),
      spans_(std::move(other.spans_)),
      parts_(std::move(other.parts_)) {}

MappedRows& MappedRows::operator=(MappedRows&& other) noexcept {
  if (this != &other) {
    if (base_) munmap(base_, length_);
    base_ = std::exchange(other.base_, nullptr);
    length_ = std::exchange(other.length_, 0);
    row_bytes_ = other.row_bytes_;
    spans_ = std::move(other.spans_);
    parts_ = std::move(other.parts_);
  }
  return *this;
}

const RowSpan* span_of(std::span<const RowSpan> spans, uint64_t row) {
  const auto after = std::upper_bound(spans.begin(), spans.end(), row,
                                      [](uint64_t r, const RowSpan& s) { return r < s.first; });
  if (after == spans.begin()) return nullptr;
  const RowSpan& span = *(after - 1);
  return row < span.first + span.count ? &span : nullptr;
}

void MappedRows::release(uint64_t first, uint64_t count) const {
  static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uint64_t end = first + count;
  const RowSpan* const last = spans_.data() + spans_.size();
  for (const RowSpan* span = span_of(spans_, first); span && span != last && span->first < end; ++span) {
    const uint64_t from = std::max(first, span->first), to = std::min(end, span->first + span->count);
    // whole pages only: the pages at the ends may hold rows still in use
    const auto begin_byte = reinterpret_cast<uintptr_t>(span->rows) + (from - span->first) * row_bytes_;
    const uintptr_t end_byte = begin_byte + (to - from) * row_bytes_;
    const uintptr_t lo = (begin_byte + page - 1) / page * page, hi = end_byte / page * page;
    if (lo < hi) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
  }
}

std::optional<MappedRows> StoreReader::map_virtual(const DatasetInfo& info, uint64_t row_bytes) const {
  // Each source mapped in its own file (checked when info was described), its spans moved to the rows it
  // holds in this dataset.
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(h5::on_this_thread(impl_).path).parent_path();
  MappedRows mapped;
  mapped.row_bytes_ = row_bytes;
  for (const VirtualSource& source : info.sources) {
    const fs::path file = fs::path(source.file).is_relative() ? folder / source.file : fs::path(source.file);
    std::optional<MappedRows> part = StoreReader(file.string()).map_rows(source.dataset);
    if (!part || part->row_bytes_ != row_bytes) return std::nullopt;
    for (RowSpan span : part->spans_) {
      if (span.first >= source.rows) break;
      span.count = std::min(span.count, source.rows - span.first);
      span.first += source.first;
      mapped.spans_.push_back(span);
    }
    mapped.parts_.push_back(std::move(*part));
  }
  return mapped;
}

std::optional<MappedRows> StoreReader::map_rows(const std::string& name) const {
  const std::string full = h5::absolute_name(name);
  const DatasetInfo& info = h5::on_this_thread(impl_).info(full);
  if (info.shape.size() != 2 || info.dtype != DType::float32) return std::nullopt;
  const uint64_t rows = info.shape[0], cols = info.shape[1], row_bytes = cols * sizeof(float);
  if (rows == 0 || cols == 0) return std::nullopt;
  const hid_t dataset = h5::on_this_thread(impl_).dataset(full);
  h5::Handle type(H5Dget_type(dataset), H5Tclose);
  h5::Handle dcpl(H5Dget_create_plist(dataset), H5Pclose);
  if (type.get() < 0 || dcpl.get() < 0 || H5Tequal(type.get(), H5T_NATIVE_FLOAT) <= 0 ||
      H5Pget_nfilters(dcpl.get()) != 0) {
    H5Eclear2(H5E_DEFAULT);
    return std::nullopt;
  }

  std::vector<StoredRows> stored;
  const H5D_layout_t layout = H5Pget_layout(dcpl.get());
  if (layout == H5D_VIRTUAL) return map_virtual(info, row_bytes);
  if (layout == H5D_CONTIGUOUS) {
    const haddr_t address = H5Dget_offset(dataset);
    if (address == HADDR_UNDEF) return std::nullopt;
    stored.push_back({0, rows, address});
  } else if (layout == H5D_CHUNKED && info.chunk.size() == 2 && info.chunk[1] == cols && info.chunk[0] > 0) {
    auto chunks = stored_chunks(dataset, rows, info.chunk[0], row_bytes);
    if (!chunks) return std::nullopt;
    stored = std::move(*chunks);
  } else {
    return std::nullopt;
  }

  const std::optional<int> fd = posix_descriptor(h5::on_this_thread(impl_).file.get());
  struct stat file {};
  if (!fd || fstat(*fd, &file) != 0 || file.st_size <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return std::nullopt;
  }
  const auto file_bytes = static_cast<uint64_t>(file.st_size);
  for (const StoredRows& s : stored) {
    // a chunk is stored whole, also the last one
    const uint64_t bytes = (layout == H5D_CHUNKED ? info.chunk[0] : s.count) * row_bytes;
    if (s.address % alignof(float) != 0 || s.address > file_bytes || bytes > file_bytes - s.address)
      return std::nullopt;
  }
  void* base = mmap(nullptr, file_bytes, PROT_READ, MAP_SHARED, *fd, 0);
  if (base == MAP_FAILED) return std::nullopt;
  MappedRows mapped;
  mapped.base_ = base;
  mapped.length_ = file_bytes;
  mapped.row_bytes_ = row_bytes;
  for (const StoredRows& s : stored) {
    mapped.spans_.push_back(
        {s.first, s.count, reinterpret_cast<const float*>(static_cast<const char*>(base) + s.address)});
  }
  return mapped;
}

}  // namespace featpipe::data
