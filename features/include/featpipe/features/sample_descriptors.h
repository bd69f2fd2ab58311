#pragma once
// The descriptors stage: a seeded, per-image-balanced sample of local descriptors of a split, with their
// frames and owning images, for learning a vocabulary.
//
// Two passes over the split. The first counts each image's frames; the sample size is then shared out
// equally, an image with fewer frames than its share giving all it has and the rest going to the others
// (water-filling). The second pass extracts again and keeps each image's share, chosen from the random
// item of the image's source row: the sample depends on neither the thread count nor the order in which
// images finish.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/core/collective.h"
#include "featpipe/core/matrix.h"
#include "featpipe/core/stage_observer.h"
#include "featpipe/data/split.h"
#include "featpipe/features/descriptor.h"

namespace featpipe::features {

struct DescriptorSampleOptions {
  std::size_t sample = 100000;      // descriptors to keep in all (fewer when the split has fewer)
  std::size_t block_images = 1024;  // images per written block
  uint64_t seed = 0;                // which descriptors each image gives (random::Stream::descriptor_sample)
  /// The ranks sharing the work (core/collective.h): each counts and samples the images of its share of
  /// the blocks, the counts are gathered so that every rank computes the same quotas, and each writes its
  /// shard (data/sharded_store.h). nullptr: this process alone.
  const Collective* job = nullptr;
};

/// sample >= 1, block_images >= 1; the message names the option.
std::optional<std::string> validate(const DescriptorSampleOptions& options);

/// Shares `total` out over images with counts[i] frames: equal shares, capped by each count, the cap's
/// leftovers handed one each to a seeded random choice of the images that still have frames to give.
std::vector<std::size_t> water_fill(const std::vector<std::size_t>& counts, std::size_t total, uint64_t seed);

struct DescriptorSampleSummary {
  std::size_t rows = 0, dim = 0, images = 0, frames_available = 0;
};

/// Writes the sample to a new descriptor store at `out` (kind "descriptors": /features the descriptors,
/// /frames x, y, scale, angle, /labels and /index of the owning image). `provenance` (the dataset's) gains
/// command, descriptor, dim, sample, rows, frames_available and image_size. InputError naming the image when
/// one cannot be described or has other channels than the first, InputError("--descriptor") when the split
/// gives no frames.
DescriptorSampleSummary sample_descriptors(const data::SplitView& view, const DescriptorExtractor& descriptor,
                                           nlohmann::json provenance, const std::string& out,
                                           const DescriptorSampleOptions& options, StageObserver& observer);

/// The same sample in memory, as a front end without a store needs it (Python): the rows the store would
/// hold, bit for bit. One process (options.job of one rank or null).
struct DescriptorSample {
  RowMatrix<float> descriptors;  // [rows, dim]
  RowMatrix<float> frames;       // [rows, 4]: x, y, scale, angle
  std::vector<int32_t> labels;   // the owning image's label
  std::vector<int64_t> index;    // the owning image's row in the view's source set
  DescriptorSampleSummary summary;
};

DescriptorSample sample_descriptors_to_memory(const data::SplitView& view,
                                              const DescriptorExtractor& descriptor,
                                              const DescriptorSampleOptions& options,
                                              StageObserver& observer);

}  // namespace featpipe::features
