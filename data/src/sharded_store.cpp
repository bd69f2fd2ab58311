#include "featpipe/data/sharded_store.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/data/input_files.h"
#include "featpipe/data/store.h"

namespace featpipe::data {
namespace {

namespace fs = std::filesystem;

// The rows of a store: the length of /labels, which every row store has.
constexpr const char* kRowCount = "/labels";
// Rows copied at a time by merge_store.
constexpr uint64_t kMergeBlockBytes = uint64_t{64} << 20;

/// A dataset grown row by row (chunked, as StoreWriter's create_rows / create_column make them) whose first
/// dimension is the store's rows; the others (class names ...) are written whole.
bool is_row_dataset(const DatasetInfo& info, uint64_t rows) {
  return (!info.chunk.empty() || !info.sources.empty()) && !info.shape.empty() && info.shape[0] == rows;
}

nlohmann::json without_run_keys(nlohmann::json provenance) {
  provenance.erase("shard");
  provenance.erase("seconds");
  return provenance;
}

/// A whole (non-row) dataset of `from` written to `to` as it is.
void copy_whole(const StoreReader& from, const DatasetInfo& info, StoreWriter& to) {
  switch (info.dtype) {
    case DType::float32:
      to.write(info.name, from.read_floats(info.name).data(), info.shape);
      return;
    case DType::float64:
      to.write(info.name, from.read_doubles(info.name).data(), info.shape);
      return;
    case DType::int32:
      to.write(info.name, from.read_int32(info.name).data(), info.shape);
      return;
    case DType::int64:
      to.write(info.name, from.read_int64(info.name).data(), info.shape);
      return;
    case DType::uint8: {
      const std::vector<int32_t> values = from.read_int32(info.name);
      const std::vector<uint8_t> bytes(values.begin(), values.end());
      to.write(info.name, bytes.data(), info.shape);
      return;
    }
    case DType::string:
      if (info.shape.size() == 1) {
        to.write_strings(info.name, from.read_strings(info.name));
        return;
      }
      break;
    case DType::other:
      break;
  }
  throw InputError(from.path(), info.name + " is of a type featpipe does not copy (" + to_string(info.dtype) +
                                    ", " + std::to_string(info.shape.size()) + " dimensions)");
}

/// InputError unless the shard of `rank` is a store like shard 0 holding `rows` rows.
void check_shard(const StoreReader& shard, const StoreReader& first, uint64_t rows, int rank) {
  const std::string& path = shard.path();
  if (shard.kind() != first.kind()) {
    throw InputError(path, "is a " + shard.kind() + " store where rank 0 wrote a " + first.kind() + " store");
  }
  if (without_run_keys(shard.provenance()) != without_run_keys(first.provenance())) {
    throw InputError(path,
                     "was written by another run than rank 0's shard (their provenance differs); "
                     "rerun the stage");
  }
  const nlohmann::json provenance = shard.provenance();
  const auto shard_of = provenance.find("shard");
  if (shard_of == provenance.end() || !shard_of->is_object() || shard_of->value("rank", -1) != rank) {
    throw InputError(path,
                     "is not the shard of rank " + std::to_string(rank) + " of this run; rerun the stage");
  }
  const uint64_t held = shard.info(kRowCount).shape.at(0);
  if (held != rows) {
    throw InputError(path, "holds " + std::to_string(held) + " rows where its rank wrote " +
                               std::to_string(rows) + "; rerun the stage");
  }
  for (const DatasetInfo& info : first.list()) {
    if (!shard.has(info.name))
      throw InputError(path, "has no " + info.name + " where rank 0's shard has one");
  }
}

}  // namespace

std::string shard_path(const std::string& out, int rank) {
  return out + ".shards/rank-" + std::to_string(rank) + ".h5";
}

nlohmann::json shard_provenance(nlohmann::json provenance, const Collective& job, uint64_t first_row) {
  provenance["shard"] = {{"rank", job.rank()}, {"ranks", job.size()}, {"first_row", first_row}};
  return provenance;
}

std::string prepare_output(const Collective& job, const std::string& out) {
  if (job.size() == 1) return out;
  if (job.rank() == 0) {
    std::error_code ec;
    fs::remove(out, ec);
    const fs::path folder = out + ".shards";
    fs::create_directory(folder, ec);  // beside the store, whose folder must exist
    if (!fs::is_directory(folder, ec)) {
      throw InputError(out, "cannot create the folder of its shards, " + folder.string() +
                                (ec ? " (" + ec.message() + ")" : ""));
    }
    for (int rank = job.size();; ++rank) {  // shards of a larger job that wrote here before
      if (!fs::remove(shard_path(out, rank), ec)) break;
    }
  }
  job.barrier();
  return shard_path(out, job.rank());
}

uint64_t join_shards(const Collective& job, const std::string& out, uint64_t rows,
                     nlohmann::json provenance) {
  if (job.size() == 1) return rows;
  const uint64_t mine[1] = {rows};
  const std::vector<uint64_t> rows_of = all_gather<uint64_t>(job, mine);
  uint64_t total = 0;
  for (uint64_t r : rows_of) total += r;
  if (job.rank() == 0) {
    // The shards are opened to be checked, not read as inputs: a later run of this process may write them,
    // whether or not this join succeeds.
    struct Forget {
      const Collective& job;
      const std::string& out;
      ~Forget() {
        for (int rank = 0; rank < job.size(); ++rank) forget_input(shard_path(out, rank));
      }
    } forget{job, out};
    std::vector<std::unique_ptr<StoreReader>> shards;
    for (int rank = 0; rank < job.size(); ++rank) {
      shards.push_back(std::make_unique<StoreReader>(shard_path(out, rank)));
      check_shard(*shards.back(), *shards.front(), rows_of[rank], rank);
    }
    const StoreReader& first = *shards.front();
    provenance.erase("shard");
    provenance["shards"] = rows_of;
    StoreWriter writer(out, first.kind(), provenance);
    const std::string folder = fs::path(out).filename().string() + ".shards/";
    for (const DatasetInfo& info : first.list()) {
      if (!is_row_dataset(info, rows_of[0])) {
        copy_whole(first, info, writer);
        continue;
      }
      std::vector<VirtualSource> sources;
      uint64_t row = 0;
      for (int rank = 0; rank < job.size(); ++rank) {
        sources.push_back({folder + "rank-" + std::to_string(rank) + ".h5", info.name, row, rows_of[rank]});
        row += rows_of[rank];
      }
      writer.write_virtual(info.name, info.dtype, info.shape.size() > 1 ? info.shape[1] : 0, sources);
    }
    writer.commit();
  }
  job.barrier();
  return total;
}

uint64_t merge_store(const std::string& in, const std::string& out) {
  const StoreReader from(in);
  if (!from.has(kRowCount))
    throw InputError(in, "has no " + std::string(kRowCount) + ", so it has no rows to merge");
  const uint64_t rows = from.info(kRowCount).shape.at(0);
  nlohmann::json provenance = from.provenance();
  provenance["merged_from"] = in;
  StoreWriter to(out, from.kind(), provenance);
  for (const DatasetInfo& info : from.list()) {
    if (!is_row_dataset(info, rows)) {
      copy_whole(from, info, to);
    } else if (info.shape.size() == 2 && info.dtype == DType::float32) {
      const uint64_t cols = info.shape[1];
      const uint64_t block = std::max<uint64_t>(1, kMergeBlockBytes / (cols * sizeof(float)));
      std::vector<float> buffer(std::min(block, rows) * cols);
      to.create_rows(info.name, cols);
      for (uint64_t begin = 0; begin < rows; begin += block) {
        const uint64_t count = std::min(block, rows - begin);
        from.read_rows(info.name, begin, count, buffer.data());
        to.append_rows(info.name, buffer.data(), count);
      }
    } else if (info.shape.size() == 1 && info.dtype == DType::int32) {
      to.create_column(info.name, DType::int32);
      const std::vector<int32_t> values = from.read_int32(info.name);
      to.append_column(info.name, values.data(), values.size());
    } else if (info.shape.size() == 1 && info.dtype == DType::int64) {
      to.create_column(info.name, DType::int64);
      const std::vector<int64_t> values = from.read_int64(info.name);
      to.append_column(info.name, values.data(), values.size());
    } else {
      copy_whole(from, info, to);
    }
  }
  to.commit();
  return rows;
}

}  // namespace featpipe::data
