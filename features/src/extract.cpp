#include "featpipe/features/extract.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "featpipe/core/errors.h"
#include "featpipe/core/parallel_blocks.h"
#include "featpipe/core/worker_errors.h"
#include "featpipe/data/sharded_store.h"

namespace featpipe::features {

namespace {

// Inner rows held at once by a row-mapped extractor's block (the block's own rows are bounded elsewhere).
constexpr std::size_t kMaxInnerBlockBytes = std::size_t(64) << 20;
// Rows a thread maps at once: the map's pass over its parameters is shared by these.
constexpr std::size_t kMappedRowsPerTask = 64;

// The inner extractor's rows of the block, then the map over them by groups of rows, OpenMP across groups.
void extract_mapped_block(const data::SplitView& view, const RowMappedExtractor& extractor, std::size_t dim,
                          std::size_t begin, std::size_t count, float* rows, int32_t* labels, int64_t* index,
                          StageObserver& observer, Augment augment, uint8_t* variants) {
  const std::size_t input_dim = extractor.input_dim();
  const std::size_t step = std::max<std::size_t>(
      1, std::min(count, kMaxInnerBlockBytes / std::max<std::size_t>(1, input_dim * 4)));
  std::vector<float> inner(step * input_dim);
  for (std::size_t done = 0; done < count; done += step) {
    const std::size_t n = std::min(step, count - done);
    extract_block(view, extractor.inner(), input_dim, begin + done, n, inner.data(),
                  labels ? labels + done : nullptr, index ? index + done : nullptr, observer, augment,
                  variants ? variants + done : nullptr);
    const std::size_t tasks = (n + kMappedRowsPerTask - 1) / kMappedRowsPerTask;
    FirstError error(observer);
#pragma omp parallel for schedule(dynamic, 1)
    for (std::size_t t = 0; t < tasks; ++t) {
      if (error.failed()) continue;
      const std::size_t r = t * kMappedRowsPerTask;
      try {
        extractor.map_rows(inner.data() + r * input_dim, std::min(kMappedRowsPerTask, n - r),
                           rows + (done + r) * dim);
      } catch (...) {
        error.capture();
      }
    }
    error.rethrow();
  }
}

}  // namespace

void extract_block(const data::SplitView& view, const FeatureExtractor& extractor, std::size_t dim,
                   std::size_t begin, std::size_t count, float* rows, int32_t* labels, int64_t* index,
                   StageObserver& observer, Augment augment, uint8_t* variants) {
  if (const auto* mapped = dynamic_cast<const RowMappedExtractor*>(&extractor)) {
    extract_mapped_block(view, *mapped, dim, begin, count, rows, labels, index, observer, augment, variants);
    return;
  }
  FirstError error(observer);
  // Chunks of a few dozen images: dynamic enough to balance costly extractors (SIFT), coarse enough that
  // scheduling does not dominate cheap ones (raw pixels).
  const std::size_t chunk = std::max<std::size_t>(1, count / (8 * std::size_t(omp_get_max_threads())));
#pragma omp parallel for schedule(dynamic, chunk)
  for (std::size_t k = 0; k < count; ++k) {
    if (error.failed()) continue;
    const AugmentedRow row = augmented_row(augment, begin + k);
    const std::size_t i = row.image;
    try {
      const cv::Mat image = augmented_image(view.image(i), row.variant);
      const std::size_t d = extractor.dim(image.size(), image.channels());
      if (d != dim) {
        throw InputError(data::describe_image(view, i),
                         "is " + std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                             " and gives " + std::to_string(d) + " features where the first image gave " +
                             std::to_string(dim) + "; use --resize WxH to make images uniform");
      }
      extractor.extract(image, rows + k * dim);
      if (labels) labels[k] = view.label(i);
      if (index) index[k] = view.source_index(i);
      if (variants) variants[k] = row.variant;
    } catch (const std::invalid_argument& e) {
      try {
        throw InputError(data::describe_image(view, i), e.what());
      } catch (...) {
        error.capture();
      }
    } catch (...) {
      error.capture();
    }
    observer.advance();
  }
  error.rethrow();
}

void extract_rows(const data::SplitView& view, const FeatureExtractor& extractor, std::size_t dim,
                  const ExtractRange& range, data::FeatureStoreWriter& writer, StageObserver& observer) {
  // Sized by the rows there are, not by the option alone (--block 1000000000 on 200 images).
  const std::size_t block_rows =
      std::max<std::size_t>(1, std::min(range.block_rows, range.end - std::min(range.end, range.begin)));
  std::vector<float> rows(block_rows * dim);
  std::vector<int32_t> labels(block_rows);
  std::vector<int64_t> index(block_rows);
  std::vector<uint8_t> variants(range.augment == Augment::none ? 0 : block_rows);
  uint8_t* const marks = variants.empty() ? nullptr : variants.data();
  for (std::size_t begin = range.begin; begin < range.end; begin += block_rows) {
    const std::size_t count = std::min(block_rows, range.end - begin);
    extract_block(view, extractor, dim, begin, count, rows.data(), labels.data(), index.data(), observer,
                  range.augment, marks);
    writer.append(rows.data(), labels.data(), index.data(), count, marks);
  }
}

std::size_t split_dim(const data::SplitView& view, const FeatureExtractor& extractor,
                      const std::string& subject) {
  if (view.size() == 0) throw InputError("--split", "the split of " + view.dataset().spec() + " is empty");
  const cv::Mat first = view.image(0);
  try {
    return extractor.dim(first.size(), first.channels());
  } catch (const std::invalid_argument& e) {
    throw InputError(subject, e.what());
  }
}

void extract_to_memory(const data::SplitView& view, const FeatureExtractor& extractor, std::size_t dim,
                       float* out, StageObserver& observer, std::size_t block_rows) {
  block_rows = std::max<std::size_t>(1, block_rows);
  observer.begin("extract " + extractor.spec(), view.size(), "img");
  for (std::size_t begin = 0; begin < view.size(); begin += block_rows) {
    const std::size_t count = std::min(block_rows, view.size() - begin);
    extract_block(view, extractor, dim, begin, count, out + begin * dim, nullptr, nullptr, observer);
  }
  observer.end();
}

ExtractSummary extract_split(const data::SplitView& view, const FeatureExtractor& extractor,
                             nlohmann::json provenance, const std::string& out, const ExtractOptions& options,
                             StageObserver& observer) {
  const auto start = std::chrono::steady_clock::now();
  ExtractSummary summary;
  summary.dim = split_dim(view, extractor, options.subject);
  const cv::Mat first = view.image(0);
  provenance["command"] = options.command;
  provenance["features"] = extractor.spec();
  provenance["dim"] = summary.dim;
  provenance["image_size"] = {first.cols, first.rows, first.channels()};
  if (options.augment != Augment::none) provenance["augment"] = to_string(options.augment);
  const std::size_t total = view.size() * rows_per_image(options.augment);
  const std::size_t block_rows = std::max<std::size_t>(
      1,
      std::min(options.block_rows, kMaxBlockBytes / std::max<std::size_t>(1, summary.dim * sizeof(float))));
  // This rank's share of the split's blocks (all of them for one process).
  const Collective& job = options.job ? *options.job : single_process();
  const auto [first_block, end_block] = rank_share(block_count(total, block_rows), job.rank(), job.size());
  const std::size_t begin = std::min(total, first_block * block_rows);
  const std::size_t end = std::min(total, end_block * block_rows);
  const std::string path = data::prepare_output(job, out);
  const nlohmann::json written = job.size() > 1 ? data::shard_provenance(provenance, job, begin) : provenance;
  data::FeatureStoreWriter writer(path, summary.dim, view.dataset().class_names(), written, "features",
                                  options.augment != Augment::none);
  observer.begin(options.command + " " + extractor.spec(), end - begin, "img");
  extract_rows(view, extractor, summary.dim, {begin, end, block_rows, options.augment}, writer, observer);
  const auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  nlohmann::json finished = written;
  finished["seconds"] = seconds();
  writer.store().set_provenance(finished);
  writer.commit();
  provenance["seconds"] = seconds();
  summary.rows = data::join_shards(job, out, end - begin, provenance);
  summary.seconds = seconds();
  observer.end();
  return summary;
}

}  // namespace featpipe::features
