#pragma once
// The content digest of a store: FNV-1a 64 (core/digest.h) over every dataset, in name order, of its name,
// element type, shape and values; attributes (the creation time, the provenance) are left out, so a store
// written again with the same contents has the same digest. Values are hashed in the type they are stored
// in: float32 and float64 as their IEEE bytes, integers as int64, strings as their length and bytes, all
// little-endian, so the digest is the same on every CPU. A model records the digests of the stores its
// feature chain reads, to tell when one was replaced.
#include <string>

#include "featpipe/data/store.h"

namespace featpipe::data {

/// "fnv1a64:<16 hex digits>". Reads every dataset whole; InputError naming the store when one cannot be
/// read.
std::string content_digest(const StoreReader& store);

/// The same for the store at path.
std::string content_digest(const std::string& path);

}  // namespace featpipe::data
