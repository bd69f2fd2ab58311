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
#include "featpipe/features/augment.h"
#include "featpipe/features/extractor.h"

namespace featpipe::features {

struct ExtractRange {
  std::size_t begin = 0;
  std::size_t end = 0;              // exclusive
  std::size_t block_rows = 1024;    // rows per appended block (the buffer is block_rows x dim floats)
  Augment augment = Augment::none;  // flip: rows 2i and 2i + 1 are image i and its mirror
};

/// Appends the features of store rows [range.begin, range.end) of view to writer (rows are images, or with
/// range.augment the images and their mirrors, features/augment.h), block after block, with /augment when
/// augmented (the writer must have been made with it). Requires
/// every image to give `dim` values; throws InputError naming the image otherwise (images of differing size
/// need a resize). Exceptions thrown inside worker threads are rethrown here; observer.advance() per image.
void extract_rows(const data::SplitView& view, const FeatureExtractor& extractor, std::size_t dim,
                  const ExtractRange& range, data::FeatureStoreWriter& writer, StageObserver& observer);

/// The features of store rows [begin, begin + count) of view into rows (count x dim floats) and, unless
/// null, their labels, source rows and /augment variants, with OpenMP across the rows. Without augmentation
/// row i is image i; with it, augmented_row() says which image and variant a row is. The one computation
/// behind every front end's extraction: a row depends only on its image, never on the block it is computed
/// in. Throws InputError naming the image as extract_rows does; observer.advance() per image,
/// observer.checkpoint() after the block.
void extract_block(const data::SplitView& view, const FeatureExtractor& extractor, std::size_t dim,
                   std::size_t begin, std::size_t count, float* rows, int32_t* labels, int64_t* index,
                   StageObserver& observer, Augment augment = Augment::none, uint8_t* variants = nullptr);

/// The width of the split's rows, from its first image. InputError("--split") when the split is empty,
/// InputError(subject) when the extractor cannot take the images.
std::size_t split_dim(const data::SplitView& view, const FeatureExtractor& extractor,
                      const std::string& subject);

/// Every image of the split into out (view.size() x dim floats, row-major), in blocks of block_rows images
/// between which the observer may stop the work: the rows extract_split writes to a store, bit for bit.
void extract_to_memory(const data::SplitView& view, const FeatureExtractor& extractor, std::size_t dim,
                       float* out, StageObserver& observer, std::size_t block_rows = 1024);

struct ExtractOptions {
  std::size_t block_rows = 1024;    // images per written block, fewer when a block would pass kMaxBlockBytes
  std::string command = "extract";  // recorded in the provenance, and the progress label's first word
  std::string subject = "--features";  // the option blamed when the extractor cannot take the images
  /// The ranks sharing the work (core/collective.h): the store's blocks of block_rows rows are shared
  /// out, each rank writes its shard and rank 0 the store over them (data/sharded_store.h). nullptr: this
  /// process alone, writing `out` itself.
  const Collective* job = nullptr;
  /// flip: the store holds each image then its mirror (features/augment.h), marked by /augment, and the
  /// provenance records augment: flip. The caller refuses it for evaluation splits.
  Augment augment = Augment::none;
};

/// Encoded rows held before a block is written: Fisher vectors with a fine pyramid are megabytes each.
inline constexpr std::size_t kMaxBlockBytes = std::size_t(256) << 20;

struct ExtractSummary {
  std::size_t rows = 0, dim = 0;
  double seconds = 0;
};

/// The whole split into a new feature store at `out` (written under a temporary name, renamed when
/// complete), sharded when options.job has several ranks: the same rows, bit for bit. `provenance` (the
/// dataset's: spec, split, seed...) gains command, features, dim, image_size, seconds and, when augmented,
/// augment. Ranks share the store's rows (images, or images and mirrors), so the rows are the same bits.
/// InputError(options.subject) when the extractor cannot take the split's images, InputError("--split") when
/// the split is empty.
ExtractSummary extract_split(const data::SplitView& view, const FeatureExtractor& extractor,
                             nlohmann::json provenance, const std::string& out, const ExtractOptions& options,
                             StageObserver& observer);

}  // namespace featpipe::features
