#include "featpipe/features/sample_descriptors.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <numeric>

#include "featpipe/core/errors.h"
#include "featpipe/core/parallel_blocks.h"
#include "featpipe/core/random.h"
#include "featpipe/core/worker_errors.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/data/sharded_store.h"

namespace featpipe::features {
namespace {

/// The random item of the per-image quotas; items 0, 1, ... are the images' own choices.
constexpr uint64_t kQuotaItem = UINT64_MAX;

/// Runs fn(i, features) for images [begin, end) in parallel, each thread reusing one LocalFeatures. The
/// descriptor's std::invalid_argument becomes an InputError naming the image; the first error is rethrown.
template <class Fn>
void for_each_image(const data::SplitView& view, const DescriptorExtractor& descriptor, std::size_t begin,
                    std::size_t end, StageObserver& observer, Fn&& fn) {
  FirstError error(observer);
#pragma omp parallel
  {
    LocalFeatures local;
#pragma omp for schedule(dynamic, 4)
    for (std::size_t i = begin; i < end; ++i) {
      if (error.failed()) continue;
      try {
        try {
          descriptor.extract(view.image(i), local);
        } catch (const std::invalid_argument& e) {
          throw InputError(data::describe_image(view, i), e.what());
        }
        fn(i, local);
      } catch (...) {
        error.capture();
      }
      observer.advance();
    }
  }
  error.rethrow();
}

/// The first `keep` of a seeded permutation of [0, n), in ascending order.
void choose(std::size_t n, std::size_t keep, uint64_t seed, int64_t image, std::vector<std::size_t>& chosen) {
  random::Generator generator(seed, random::Stream::descriptor_sample, static_cast<uint64_t>(image));
  const std::vector<int64_t> picked = random::sample_sorted(n, keep, generator);
  chosen.assign(picked.begin(), picked.end());
}

}  // namespace

std::optional<std::string> validate(const DescriptorSampleOptions& options) {
  if (options.sample == 0) return "--sample: must be at least 1";
  if (options.block_images == 0) return "--block: must be at least 1";
  return std::nullopt;
}

std::vector<std::size_t> water_fill(const std::vector<std::size_t>& counts, std::size_t total,
                                    uint64_t seed) {
  const std::size_t available = std::accumulate(counts.begin(), counts.end(), std::size_t(0));
  if (available <= total) return counts;
  // The largest level t with sum(min(count, t)) <= total, by bisection on t.
  std::size_t low = 0, high = *std::max_element(counts.begin(), counts.end());
  auto taken = [&](std::size_t level) {
    std::size_t sum = 0;
    for (std::size_t c : counts) sum += std::min(c, level);
    return sum;
  };
  while (low < high) {
    const std::size_t mid = low + (high - low + 1) / 2;
    if (taken(mid) <= total) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  std::vector<std::size_t> quota(counts.size());
  std::vector<std::size_t> more;  // images that can give one beyond the level
  for (std::size_t i = 0; i < counts.size(); ++i) {
    quota[i] = std::min(counts[i], low);
    if (counts[i] > low) more.push_back(i);
  }
  random::Generator generator(seed, random::Stream::descriptor_sample, kQuotaItem);
  random::shuffle(more, generator);
  for (std::size_t k = 0, left = total - taken(low); k < left; ++k) ++quota[more[k]];
  return quota;
}

DescriptorSampleSummary sample_descriptors(const data::SplitView& view, const DescriptorExtractor& descriptor,
                                           nlohmann::json provenance, const std::string& out,
                                           const DescriptorSampleOptions& options, StageObserver& observer) {
  if (auto error = validate(options)) throw_option_error(*error);
  if (view.size() == 0) throw InputError("--split", "the split of " + view.dataset().spec() + " is empty");
  const cv::Mat first = view.image(0);
  const std::size_t dim = descriptor.dim(first.channels());
  try {
    // The first image on its own, so that a descriptor too large for the images is reported for image 0
    // rather than for whichever image a worker thread happened to reach first.
    LocalFeatures probe;
    descriptor.extract(first, probe);
  } catch (const std::invalid_argument& e) {
    throw InputError(data::describe_image(view, 0), e.what());
  }

  // This rank's share of the blocks of images (all of them for one process).
  const Collective& job = options.job ? *options.job : single_process();
  const auto [first_block, end_block] =
      rank_share(block_count(view.size(), options.block_images), job.rank(), job.size());
  const std::size_t first_image = std::min(view.size(), first_block * options.block_images);
  const std::size_t end_image = std::min(view.size(), end_block * options.block_images);

  observer.begin("descriptors " + descriptor.spec(), 2 * (end_image - first_image), "img");
  std::vector<uint64_t> my_counts(end_image - first_image);
  for_each_image(
      view, descriptor, first_image, end_image, observer, [&](std::size_t i, const LocalFeatures& f) {
        if (f.descriptors.size() != f.size() * dim) {
          throw InputError(data::describe_image(view, i), "has " + std::to_string(view.image(i).channels()) +
                                                              " channels where the first image has " +
                                                              std::to_string(first.channels()) +
                                                              "; use one kind of image");
        }
        my_counts[i - first_image] = f.size();
      });
  // Every image's count on every rank, so that every rank shares the sample out the same way.
  const std::vector<uint64_t> all_counts = all_gather<uint64_t>(job, my_counts);
  const std::vector<std::size_t> counts(all_counts.begin(), all_counts.end());
  const std::vector<std::size_t> quota = water_fill(counts, options.sample, options.seed);
  DescriptorSampleSummary summary;
  summary.dim = dim;
  summary.images = view.size();
  summary.rows = std::accumulate(quota.begin(), quota.end(), std::size_t(0));
  summary.frames_available = std::accumulate(counts.begin(), counts.end(), std::size_t(0));
  if (summary.rows == 0) {
    throw InputError("--descriptor", descriptor.spec() + " finds no frames in " + view.dataset().spec() +
                                         "; try a denser descriptor such as dsift");
  }

  provenance["command"] = "descriptors";
  provenance["descriptor"] = descriptor.spec();
  provenance["dim"] = dim;
  provenance["sample"] = options.sample;
  provenance["rows"] = summary.rows;
  provenance["frames_available"] = summary.frames_available;
  provenance["image_size"] = {first.cols, first.rows, first.channels()};
  std::size_t first_row = 0;
  for (std::size_t i = 0; i < first_image; ++i) first_row += quota[i];
  const std::string path = data::prepare_output(job, out);
  data::FeatureStoreWriter writer(
      path, dim, view.dataset().class_names(),
      job.size() > 1 ? data::shard_provenance(provenance, job, first_row) : provenance, "descriptors");
  writer.store().create_rows("/frames", 4);

  std::vector<float> rows, frames;
  std::vector<int32_t> labels;
  std::vector<int64_t> index;
  std::vector<std::size_t> offset;
  for (std::size_t begin = first_image; begin < end_image; begin += options.block_images) {
    const std::size_t end = std::min(end_image, begin + options.block_images);
    offset.assign(1, 0);
    for (std::size_t i = begin; i < end; ++i) offset.push_back(offset.back() + quota[i]);
    const std::size_t count = offset.back();
    rows.resize(count * dim);
    frames.resize(count * 4);
    labels.resize(count);
    index.resize(count);
    for_each_image(view, descriptor, begin, end, observer, [&](std::size_t i, const LocalFeatures& f) {
      if (f.size() != counts[i]) {
        throw RunError(data::describe_image(view, i) + " gave " + std::to_string(counts[i]) +
                       " frames, then " + std::to_string(f.size()) + "; the descriptor is not deterministic");
      }
      thread_local std::vector<std::size_t> chosen;
      choose(f.size(), quota[i], options.seed, view.source_index(i), chosen);
      std::size_t row = offset[i - begin];
      for (std::size_t k : chosen) {
        std::copy_n(f.descriptor(k, dim), dim, rows.begin() + row * dim);
        const Frame& fr = f.frames[k];
        std::copy_n(std::array<float, 4>{fr.x, fr.y, fr.scale, fr.angle}.begin(), 4,
                    frames.begin() + row * 4);
        labels[row] = view.label(i);
        index[row] = view.source_index(i);
        ++row;
      }
    });
    writer.append(rows.data(), labels.data(), index.data(), count);
    writer.store().append_rows("/frames", frames.data(), count);
  }
  const uint64_t written = writer.rows_written();
  writer.commit();
  data::join_shards(job, out, written, provenance);
  observer.end();
  return summary;
}

}  // namespace featpipe::features
