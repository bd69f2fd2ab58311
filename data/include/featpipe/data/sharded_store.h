#pragma once
// Sharded stores: a stage run on several ranks (core/collective.h) writes one store per rank, its shard
// "F.h5.shards/rank-<r>.h5" (a normal store holding the rows of the rank's blocks), and rank 0 then writes
// F.h5 as a store whose row datasets (/features, /labels, /index, /frames ...) are HDF5 virtual datasets
// over the shards, in rank order. h5py, h5dump and every featpipe command read it as one store; its rows
// are those one process would have written, bit for bit. merge_store copies it into one plain file.
//
// A job of one process writes F.h5 itself, as always.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "featpipe/core/collective.h"

namespace featpipe::data {

/// "<out>.shards/rank-<rank>.h5".
std::string shard_path(const std::string& out, int rank);

/// Where this rank writes: out for a job of one process, else its shard. Called by every rank before any
/// writes: rank 0 removes an earlier `out` (a store over the shards about to be replaced must not stay
/// behind looking finished) and the shards of ranks the job does not have, and creates the shards folder;
/// returns once every rank may write.
std::string prepare_output(const Collective& job, const std::string& out);

/// Called by every rank once its shard is committed (a rank that failed ends the job instead): the rows
/// each rank wrote are gathered, and rank 0 writes `out` over the shards after checking that each holds
/// the rows its rank reported, of the same kind, datasets and provenance (save "shard" and "seconds").
/// `provenance` (rank 0's) is the store's, which gains "shards": the rows of each rank. Returns the rows of
/// the whole store once `out` is written. Nothing for a job of one process (returns rows).
uint64_t join_shards(const Collective& job, const std::string& out, uint64_t rows, nlohmann::json provenance);

/// The provenance a shard records beside its stage's: which rank of how many, and its first row in the
/// whole store.
nlohmann::json shard_provenance(nlohmann::json provenance, const Collective& job, uint64_t first_row);

/// The store at `in` (plain or sharded) copied to `out` as one plain store: row datasets in blocks of
/// about 64 MB, the rest whole; the provenance gains "merged_from". Returns the rows copied.
uint64_t merge_store(const std::string& in, const std::string& out);

}  // namespace featpipe::data
