#include "featpipe/features/sample_descriptors.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <numeric>
#include <optional>
#include <stdexcept>

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

namespace {

/// Where the sampled rows go: a store (the descriptors stage) or arrays (Python).
struct SampleRows {
  float* rows;
  float* frames;
  int32_t* labels;
  int64_t* index;
};

struct SampleSink {
  /// The quotas are known: the job's summary, and where this rank's rows begin and how many it has.
  std::function<void(const DescriptorSampleSummary&, std::size_t first_row, std::size_t rows)> start;
  /// Where the `count` rows of the next block go (this rank's rows from `row` on).
  std::function<SampleRows(std::size_t row, std::size_t count)> block;
  /// The block's rows are in place.
  std::function<void(std::size_t count)> filled;
};

/// Both passes of the sample over this rank's blocks (options.job), the rows handed to the sink.
DescriptorSampleSummary sample_into(const data::SplitView& view, const DescriptorExtractor& descriptor,
                                    const DescriptorSampleOptions& options, StageObserver& observer,
                                    const SampleSink& sink) {
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
  std::size_t first_row = 0, my_rows = 0;
  for (std::size_t i = 0; i < first_image; ++i) first_row += quota[i];
  for (std::size_t i = first_image; i < end_image; ++i) my_rows += quota[i];
  sink.start(summary, first_row, my_rows);

  std::vector<std::size_t> offset;
  for (std::size_t begin = first_image, row = 0; begin < end_image; begin += options.block_images) {
    const std::size_t end = std::min(end_image, begin + options.block_images);
    offset.assign(1, 0);
    for (std::size_t i = begin; i < end; ++i) offset.push_back(offset.back() + quota[i]);
    const std::size_t count = offset.back();
    const SampleRows out = sink.block(row, count);
    for_each_image(view, descriptor, begin, end, observer, [&](std::size_t i, const LocalFeatures& f) {
      if (f.size() != counts[i]) {
        throw RunError(data::describe_image(view, i) + " gave " + std::to_string(counts[i]) +
                       " frames, then " + std::to_string(f.size()) + "; the descriptor is not deterministic");
      }
      thread_local std::vector<std::size_t> chosen;
      choose(f.size(), quota[i], options.seed, view.source_index(i), chosen);
      std::size_t r = offset[i - begin];
      for (std::size_t k : chosen) {
        std::copy_n(f.descriptor(k, dim), dim, out.rows + r * dim);
        const Frame& fr = f.frames[k];
        std::copy_n(std::array<float, 4>{fr.x, fr.y, fr.scale, fr.angle}.begin(), 4, out.frames + r * 4);
        out.labels[r] = view.label(i);
        out.index[r] = view.source_index(i);
        ++r;
      }
    });
    sink.filled(count);
    row += count;
  }
  observer.end();
  return summary;
}

}  // namespace

DescriptorSampleSummary sample_descriptors(const data::SplitView& view, const DescriptorExtractor& descriptor,
                                           nlohmann::json provenance, const std::string& out,
                                           const DescriptorSampleOptions& options, StageObserver& observer) {
  const Collective& job = options.job ? *options.job : single_process();
  const auto start = std::chrono::steady_clock::now();
  std::optional<data::FeatureStoreWriter> writer;
  nlohmann::json written_provenance;  // this rank's, as its store holds it
  std::vector<float> rows, frames;
  std::vector<int32_t> labels;
  std::vector<int64_t> index;
  std::size_t dim = 0;
  SampleSink sink;
  sink.start = [&](const DescriptorSampleSummary& summary, std::size_t first_row, std::size_t) {
    dim = summary.dim;
    const cv::Mat first = view.image(0);
    provenance["command"] = "descriptors";
    provenance["descriptor"] = descriptor.spec();
    provenance["dim"] = summary.dim;
    provenance["sample"] = options.sample;
    provenance["rows"] = summary.rows;
    provenance["frames_available"] = summary.frames_available;
    provenance["image_size"] = {first.cols, first.rows, first.channels()};
    const std::string path = data::prepare_output(job, out);
    written_provenance = job.size() > 1 ? data::shard_provenance(provenance, job, first_row) : provenance;
    writer.emplace(path, summary.dim, view.dataset().class_names(), written_provenance, "descriptors");
    writer->store().create_rows("/frames", 4);
  };
  sink.block = [&](std::size_t, std::size_t count) {
    rows.resize(count * dim);
    frames.resize(count * 4);
    labels.resize(count);
    index.resize(count);
    return SampleRows{rows.data(), frames.data(), labels.data(), index.data()};
  };
  sink.filled = [&](std::size_t count) {
    writer->append(rows.data(), labels.data(), index.data(), count);
    writer->store().append_rows("/frames", frames.data(), count);
  };
  const DescriptorSampleSummary summary = sample_into(view, descriptor, options, observer, sink);
  const uint64_t written = writer->rows_written();
  // the time, as extract records its own, for the stage times of the compare report
  const auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  written_provenance["seconds"] = seconds();
  writer->store().set_provenance(written_provenance);
  writer->commit();
  provenance["seconds"] = seconds();
  data::join_shards(job, out, written, provenance);
  return summary;
}

DescriptorSample sample_descriptors_to_memory(const data::SplitView& view,
                                              const DescriptorExtractor& descriptor,
                                              const DescriptorSampleOptions& options,
                                              StageObserver& observer) {
  if (options.job && options.job->size() > 1) {
    throw std::logic_error("sample_descriptors_to_memory: one process only");
  }
  DescriptorSample sample;
  SampleSink sink;
  sink.start = [&](const DescriptorSampleSummary& summary, std::size_t, std::size_t rows) {
    sample.descriptors.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(summary.dim));
    sample.frames.resize(static_cast<Eigen::Index>(rows), 4);
    sample.labels.resize(rows);
    sample.index.resize(rows);
  };
  sink.block = [&](std::size_t row, std::size_t) {
    return SampleRows{sample.descriptors.data() + row * sample.descriptors.cols(),
                      sample.frames.data() + row * 4, sample.labels.data() + row, sample.index.data() + row};
  };
  sink.filled = [](std::size_t) {};
  sample.summary = sample_into(view, descriptor, options, observer, sink);
  return sample;
}

}  // namespace featpipe::features
