#pragma once
// Global feature extraction over a range of a split's rows (a fixed global block, so the same code can
// later run one block per MPI rank), OpenMP across images, appended to a store block by block.
#include <cstddef>

#include "featpipe/data/feature_store.h"
#include "featpipe/data/split.h"
#include "featpipe/features/extractor.h"
#include "featpipe/pipelines/progress.h"

namespace featpipe::pipelines {

struct ExtractRange {
  std::size_t begin = 0;
  std::size_t end = 0;            // exclusive
  std::size_t block_rows = 1024;  // images per appended block (the buffer is block_rows x dim floats)
};

/// Requires every image to give `dim` values; throws InputError naming the image otherwise (images of
/// differing size need --resize). Exceptions thrown inside worker threads are rethrown here.
void extract_to_store(const data::SplitView& view, const features::FeatureExtractor& extractor,
                      std::size_t dim, const ExtractRange& range, data::FeatureStoreWriter& writer,
                      Progress& progress);

}  // namespace featpipe::pipelines
