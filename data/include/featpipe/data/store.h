#pragma once
// HDF5 stores (DESIGN.md): the only interface to HDF5 in featpipe. Every file has root attributes
// featpipe_kind (features | descriptors | vocab | model), featpipe_version, created and provenance (a JSON
// object: dataset spec, split, feature spec, parameters, seed and the provenance of its inputs).
//
// Writers create "<path>.tmp-<pid>" and rename it to <path> in commit(); a writer destroyed before
// commit() removes its temporary file, so an interrupted stage never leaves a file that looks finished.
//
// Debian's HDF5 is the serial build, which is not thread-safe: call stores from one thread at a time (e.g.
// compute a block in parallel, then append it from the calling thread).
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace featpipe::data {

/// Format version written to featpipe_version; readers refuse any other.
inline constexpr int kStoreVersion = 1;

/// The element types featpipe writes. string (variable- or fixed-length text) and other (a type featpipe
/// does not write, e.g. int16 in a file made by h5py) are only reported by StoreReader::info / list.
enum class DType { float32, float64, int32, int64, uint8, string, other };
std::string to_string(DType t);

/// Rows of a virtual dataset that another file holds: rows [first, first + rows) of the virtual dataset are
/// rows [0, rows) of `dataset` in `file` (a name relative to the folder of the store that maps it, as a
/// sharded store's shards are: "F.h5.shards/rank-0.h5").
struct VirtualSource {
  std::string file;
  std::string dataset;
  uint64_t first = 0, rows = 0;
};

struct DatasetInfo {
  std::string name;  // full path inside the file, e.g. "/features", "/history/loss"
  DType dtype;
  std::vector<uint64_t> shape;
  std::vector<uint64_t> chunk;         // empty when contiguous
  std::vector<VirtualSource> sources;  // a virtual dataset's sources, in row order; empty otherwise
};

/// Rows [first, first + count) of a 2-D float32 dataset, one row after another in memory.
struct RowSpan {
  uint64_t first = 0, count = 0;
  const float* rows = nullptr;
};

/// The span of spans (in order of first, covering their rows without gaps) that holds row, or nullptr
/// when none does.
const RowSpan* span_of(std::span<const RowSpan> spans, uint64_t row);

/// A 2-D float32 dataset read in place: its file mapped read-only into memory, and the spans of whole rows
/// that cover the dataset in order (one per chunk; one for a contiguous dataset). Reading rows so costs no
/// copy and no HDF5 call, and any number of threads can read at once. Valid while this object lives; a
/// file truncated meanwhile by another program ends the process with SIGBUS, as any memory map does.
class MappedRows {
 public:
  MappedRows() = default;
  ~MappedRows();
  MappedRows(MappedRows&& other) noexcept;
  MappedRows& operator=(MappedRows&& other) noexcept;
  MappedRows(const MappedRows&) = delete;
  MappedRows& operator=(const MappedRows&) = delete;

  const std::vector<RowSpan>& spans() const { return spans_; }
  /// Rows [first, first + count) are no longer needed: their pages leave this process's memory (they
  /// stay in the page cache, and touching them again maps them back). Keeps the resident memory of one
  /// pass over a large store to what is in use.
  void release(uint64_t first, uint64_t count) const;

 private:
  friend class StoreReader;
  void* base_ = nullptr;
  size_t length_ = 0;
  uint64_t row_bytes_ = 0;
  std::vector<RowSpan> spans_;
  std::vector<MappedRows> parts_;  // a virtual dataset's: its sources' maps, which spans_ point into
};

/// A store opened for writing. All methods throw InputError (path + problem) on failure.
class StoreWriter {
 public:
  /// Creates the temporary file. InputError when the directory does not exist or is not writable.
  StoreWriter(const std::string& path, const std::string& kind, const nlohmann::json& provenance);
  ~StoreWriter();  // removes the temporary file unless committed
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  /// Whole arrays, written at once (intermediate groups created as needed). shape.size() in 1..2.
  void write(const std::string& name, const float* data, const std::vector<uint64_t>& shape);
  void write(const std::string& name, const double* data, const std::vector<uint64_t>& shape);
  void write(const std::string& name, const int32_t* data, const std::vector<uint64_t>& shape);
  void write(const std::string& name, const int64_t* data, const std::vector<uint64_t>& shape);
  void write(const std::string& name, const uint8_t* data, const std::vector<uint64_t>& shape);
  void write_strings(const std::string& name, const std::vector<std::string>& values);
  /// A string attribute on the root group.
  void set_attribute(const std::string& key, const std::string& value);
  /// Replaces the provenance given to the constructor (e.g. to add the run time once known).
  void set_provenance(const nlohmann::json& provenance);

  /// Extendible 2-D float32 dataset [0, cols] grown by append_rows (chunked by rows).
  void create_rows(const std::string& name, uint64_t cols, uint64_t chunk_rows = 0);
  void append_rows(const std::string& name, const float* rows, uint64_t count);
  /// Extendible 1-D int32 / int64 / uint8 datasets grown in step with the rows.
  void create_column(const std::string& name, DType dtype);
  void append_column(const std::string& name, const int32_t* values, uint64_t count);
  void append_column(const std::string& name, const int64_t* values, uint64_t count);
  void append_column(const std::string& name, const uint8_t* values, uint64_t count);
  /// A virtual dataset of rows (cols > 0: [rows, cols]; cols == 0: [rows]) whose rows are those of the
  /// sources, in order (their `first` is ignored: each source follows the previous one). The sources are
  /// neither opened nor checked here.
  void write_virtual(const std::string& name, DType dtype, uint64_t cols,
                     const std::vector<VirtualSource>& sources);

  /// Flushes, closes and renames the temporary file to the final path.
  void commit();
  const std::string& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A store opened for reading. The constructor throws InputError when the file is missing, is not HDF5,
/// is not a featpipe store (no featpipe_kind), or has another featpipe_version.
class StoreReader {
 public:
  explicit StoreReader(const std::string& path);
  ~StoreReader();
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;

  const std::string& path() const;
  std::string kind() const;
  std::string created() const;
  int version() const;
  nlohmann::json provenance() const;
  /// Every root attribute in name order as text: strings as stored, numeric scalars formatted.
  std::vector<std::pair<std::string, std::string>> attributes() const;
  std::string attribute(const std::string& key) const;  // InputError when absent

  bool has(const std::string& name) const;
  /// InputError when absent, or when a virtual dataset's source file is missing or holds fewer rows than
  /// it maps (HDF5 would read the missing rows as zeros).
  DatasetInfo info(const std::string& name) const;
  std::vector<DatasetInfo> list() const;  // every dataset, depth first, in name order

  /// Whole datasets converted to the requested type (HDF5 converts numeric types).
  std::vector<float> read_floats(const std::string& name) const;
  std::vector<double> read_doubles(const std::string& name) const;
  std::vector<int32_t> read_int32(const std::string& name) const;
  std::vector<int64_t> read_int64(const std::string& name) const;
  std::vector<std::string> read_strings(const std::string& name) const;
  /// Rows [begin, begin + count) of a 2-D dataset as float32, row-major, into out (count * cols).
  void read_rows(const std::string& name, uint64_t begin, uint64_t count, float* out) const;
  /// The rows of a 2-D dataset in place (MappedRows), when they lie in the file as native float32 rows:
  /// uncompressed and unfiltered, contiguous or chunked by whole rows with every chunk written, 4-byte
  /// aligned, in a file of the default (sec2) driver without a user block; a virtual dataset (a sharded
  /// store) when each of its sources maps so. Nullopt otherwise, or when the map fails; read_rows reads
  /// every dataset.
  std::optional<MappedRows> map_rows(const std::string& name) const;

 private:
  std::optional<MappedRows> map_virtual(const DatasetInfo& info, uint64_t row_bytes) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The current UTC time as ISO 8601, for the `created` attribute.
std::string utc_now();

/// The version of the HDF5 library in this process ("1.10.8"), read at run time: the one stores are read
/// and written with, which may be newer than the headers featpipe was compiled against.
std::string hdf5_version();

}  // namespace featpipe::data
