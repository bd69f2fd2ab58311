#include "featpipe/pipelines/extract_job.h"

#include <omp.h>

#include <vector>

#include "featpipe/core/errors.h"
#include "featpipe/pipelines/worker_errors.h"

namespace featpipe::pipelines {

std::string describe_image(const data::SplitView& view, std::size_t i) {
  return view.dataset().spec() + " image " + std::to_string(view.source_index(i)) + " of " +
         (view.source() == data::Source::train ? "train" : "test");
}

void extract_to_store(const data::SplitView& view, const features::FeatureExtractor& extractor,
                      std::size_t dim, const ExtractRange& range, data::FeatureStoreWriter& writer,
                      Progress& progress) {
  const std::size_t block_rows = std::max<std::size_t>(1, range.block_rows);
  std::vector<float> rows(block_rows * dim);
  std::vector<int32_t> labels(block_rows);
  std::vector<int64_t> index(block_rows);
  FirstError error;

  for (std::size_t begin = range.begin; begin < range.end; begin += block_rows) {
    const std::size_t count = std::min(block_rows, range.end - begin);
    // Chunks of a few dozen images: dynamic enough to balance costly extractors (SIFT), coarse enough
    // that scheduling does not dominate cheap ones (raw pixels).
    const std::size_t chunk = std::max<std::size_t>(1, count / (8 * std::size_t(omp_get_max_threads())));
#pragma omp parallel for schedule(dynamic, chunk)
    for (std::size_t k = 0; k < count; ++k) {
      if (error.failed()) continue;
      const std::size_t i = begin + k;
      try {
        const cv::Mat image = view.image(i);
        const std::size_t d = extractor.dim(image.size(), image.channels());
        if (d != dim) {
          throw InputError(describe_image(view, i),
                           "is " + std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                               " and gives " + std::to_string(d) + " features where the first image gave " +
                               std::to_string(dim) + "; use --resize WxH to make images uniform");
        }
        extractor.extract(image, rows.data() + k * dim);
        labels[k] = view.label(i);
        index[k] = view.source_index(i);
      } catch (const std::invalid_argument& e) {
        try {
          throw InputError(describe_image(view, i), e.what());
        } catch (...) {
          error.capture();
        }
      } catch (...) {
        error.capture();
      }
      progress.advance();
    }
    error.rethrow();
    writer.append(rows.data(), labels.data(), index.data(), count);
  }
}

}  // namespace featpipe::pipelines
