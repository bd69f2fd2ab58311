#pragma once
// The extract stage: global features of every image of a split, into a feature store. OpenMP across images;
// rows are written in fixed global blocks of images, so the same code can run one range per MPI rank.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "featpipe/core/collective.h"
#include "featpipe/core/stage_observer.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/data/split.h"
#include "featpipe/features/extractor.h"

namespace featpipe::features {

struct ExtractRange {
  std::size_t begin = 0;
  std::size_t end = 0;            // exclusive
  std::size_t block_rows = 1024;  // images per appended block (the buffer is block_rows x dim floats)
};

/// Appends the features of images [range.begin, range.end) of view to writer, block after block. Requires
/// every image to give `dim` values; throws InputError naming the image otherwise (images of differing size
/// need a resize). Exceptions thrown inside worker threads are rethrown here; observer.advance() per image.
void extract_rows(const data::SplitView& view, const FeatureExtractor& extractor, std::size_t dim,
                  const ExtractRange& range, data::FeatureStoreWriter& writer, StageObserver& observer);

struct ExtractOptions {
  std::size_t block_rows = 1024;    // images per written block, fewer when a block would pass kMaxBlockBytes
  std::string command = "extract";  // recorded in the provenance, and the progress label's first word
  std::string subject = "--features";  // the option blamed when the extractor cannot take the images
  /// The ranks sharing the work (core/collective.h): the split's blocks of block_rows images are shared
  /// out, each rank writes its shard and rank 0 the store over them (data/sharded_store.h). nullptr: this
  /// process alone, writing `out` itself.
  const Collective* job = nullptr;
};

/// Encoded rows held before a block is written: Fisher vectors with a fine pyramid are megabytes each.
inline constexpr std::size_t kMaxBlockBytes = std::size_t(256) << 20;

struct ExtractSummary {
  std::size_t rows = 0, dim = 0;
  double seconds = 0;
};

/// The whole split into a new feature store at `out` (written under a temporary name, renamed when
/// complete), sharded when options.job has several ranks: the same rows, bit for bit. `provenance` (the
/// dataset's: spec, split, seed...) gains command, features, dim, image_size and seconds.
/// InputError(options.subject) when the extractor cannot take the split's images, InputError("--split") when
/// the split is empty.
ExtractSummary extract_split(const data::SplitView& view, const FeatureExtractor& extractor,
                             nlohmann::json provenance, const std::string& out, const ExtractOptions& options,
                             StageObserver& observer);

}  // namespace featpipe::features
