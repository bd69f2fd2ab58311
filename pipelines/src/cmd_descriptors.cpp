// featpipe descriptors: a seeded, per-image-balanced sample of local descriptors of a dataset split, with
// their frames and owning images, for learning a vocabulary.
//
// Two passes over the split. The first counts each image's frames; the sample size is then shared out
// equally, an image with fewer frames than its share giving all it has and the rest going to the others
// (water-filling). The second pass extracts again and keeps each image's share, chosen by a generator
// seeded with (--seed, the image's source row): the sample depends on neither the thread count nor the
// order in which images finish.
#include <omp.h>

#include <algorithm>
#include <array>
#include <numeric>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/random.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/pipelines/dataset_options.h"
#include "featpipe/pipelines/interrupt.h"
#include "featpipe/pipelines/progress.h"
#include "featpipe/pipelines/worker_errors.h"

namespace featpipe::pipelines {
namespace {

/// The random item of the per-image quotas; items 0, 1, ... are the images' own choices.
constexpr uint64_t kQuotaItem = UINT64_MAX;

/// Runs fn(i, features) for images [begin, end) in parallel, each thread reusing one LocalFeatures. The
/// descriptor's std::invalid_argument becomes an InputError naming the image; the first error is rethrown.
template <class Fn>
void for_each_image(const data::SplitView& view, const features::DescriptorExtractor& descriptor,
                    std::size_t begin, std::size_t end, Progress& progress, Fn&& fn) {
  FirstError error;
#pragma omp parallel
  {
    features::LocalFeatures local;
#pragma omp for schedule(dynamic, 4)
    for (std::size_t i = begin; i < end; ++i) {
      if (error.failed()) continue;
      try {
        try {
          descriptor.extract(view.image(i), local);
        } catch (const std::invalid_argument& e) {
          throw InputError(describe_image(view, i), e.what());
        }
        fn(i, local);
      } catch (...) {
        error.capture();
      }
      progress.advance();
    }
  }
  error.rethrow();
}

/// Shares `total` out over images with counts[i] frames: equal shares, capped by each count, the cap's
/// leftovers handed one each to a seeded random choice of the images that still have frames to give.
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

/// The first `keep` of a seeded permutation of [0, n), in ascending order.
void choose(std::size_t n, std::size_t keep, uint64_t seed, int64_t image, std::vector<std::size_t>& chosen) {
  random::Generator generator(seed, random::Stream::descriptor_sample, static_cast<uint64_t>(image));
  const std::vector<int64_t> picked = random::sample_sorted(n, keep, generator);
  chosen.assign(picked.begin(), picked.end());
}

}  // namespace

int run_descriptors(const std::vector<std::string>& args) {
  po::options_description options("descriptors options");
  DatasetArgs dataset_args;
  std::string descriptor_spec, out;
  std::size_t sample = 100000, block_images = 1024;
  add_dataset_options(options, dataset_args);
  options.add_options()                                                                                 //
      ("descriptor", po::value<std::string>(&descriptor_spec)->default_value("dsift"),                  //
       "local descriptor: sift, dsift(step=4,size=4:6:8,fast=1), patch(size=6,stride=1), ...")          //
      ("sample", po::value<std::size_t>(&sample)->default_value(sample), "descriptors to keep in all")  //
      ("out", po::value<std::string>(&out), "output descriptor store (.h5)")                            //
      ("block", po::value<std::size_t>(&block_images)->default_value(block_images),
       "images per written block");
  CommonOptions common;
  auto vm =
      parse_command_line("descriptors", "--data SPEC --split S --descriptor DSPEC --sample N --out D.h5",
                         args, options, {}, common);
  if (!vm) return 0;
  require(*vm, "out");
  check_output_path(out, "--out");
  if (sample == 0) throw InputError("--sample", "must be at least 1");
  if (block_images == 0) throw InputError("--block", "must be at least 1");

  std::unique_ptr<features::DescriptorExtractor> descriptor;
  try {
    descriptor = features::make_descriptor(descriptor_spec);
  } catch (const std::invalid_argument& e) {
    throw InputError("--descriptor", e.what());
  }
  OpenedSplit opened = open_split(dataset_args, common.seed);
  const data::SplitView& view = *opened.view;
  if (view.size() == 0)
    throw InputError("--split", dataset_args.split + " of " + dataset_args.spec + " is empty");
  const cv::Mat first = view.image(0);
  const std::size_t dim = descriptor->dim(first.channels());
  try {
    // The first image on its own, so that a descriptor too large for the images is reported for image 0
    // rather than for whichever image a worker thread happened to reach first.
    features::LocalFeatures probe;
    descriptor->extract(first, probe);
  } catch (const std::invalid_argument& e) {
    throw InputError(describe_image(view, 0), e.what());
  }

  Progress progress("descriptors " + descriptor->spec(), 2 * view.size(), common.quiet);
  std::vector<std::size_t> counts(view.size());
  for_each_image(
      view, *descriptor, 0, view.size(), progress, [&](std::size_t i, const features::LocalFeatures& f) {
        if (f.descriptors.size() != f.size() * dim) {
          throw InputError(describe_image(view, i), "has " + std::to_string(view.image(i).channels()) +
                                                        " channels where the first image has " +
                                                        std::to_string(first.channels()) +
                                                        "; use one kind of image");
        }
        counts[i] = f.size();
      });
  const std::vector<std::size_t> quota = water_fill(counts, sample, common.seed);
  const std::size_t total = std::accumulate(quota.begin(), quota.end(), std::size_t(0));
  if (total == 0) {
    throw InputError("--descriptor", descriptor->spec() + " finds no frames in " + dataset_args.spec + " " +
                                         dataset_args.split + "; try a denser descriptor such as dsift");
  }

  nlohmann::json provenance = opened.provenance;
  provenance["command"] = "descriptors";
  provenance["descriptor"] = descriptor->spec();
  provenance["dim"] = dim;
  provenance["sample"] = sample;
  provenance["rows"] = total;
  provenance["frames_available"] = std::accumulate(counts.begin(), counts.end(), std::size_t(0));
  provenance["image_size"] = {first.cols, first.rows, first.channels()};
  data::FeatureStoreWriter writer(out, dim, opened.dataset->class_names(), provenance, "descriptors");
  writer.store().create_rows("/frames", 4);

  std::vector<float> rows, frames;
  std::vector<int32_t> labels;
  std::vector<int64_t> index;
  std::vector<std::size_t> offset;
  for (std::size_t begin = 0; begin < view.size(); begin += block_images) {
    const std::size_t end = std::min(view.size(), begin + block_images);
    offset.assign(1, 0);
    for (std::size_t i = begin; i < end; ++i) offset.push_back(offset.back() + quota[i]);
    const std::size_t count = offset.back();
    rows.resize(count * dim);
    frames.resize(count * 4);
    labels.resize(count);
    index.resize(count);
    for_each_image(
        view, *descriptor, begin, end, progress, [&](std::size_t i, const features::LocalFeatures& f) {
          if (f.size() != counts[i]) {
            throw RunError(describe_image(view, i) + " gave " + std::to_string(counts[i]) + " frames, then " +
                           std::to_string(f.size()) + "; the descriptor is not deterministic");
          }
          thread_local std::vector<std::size_t> chosen;
          choose(f.size(), quota[i], common.seed, view.source_index(i), chosen);
          std::size_t row = offset[i - begin];
          for (std::size_t k : chosen) {
            std::copy_n(f.descriptor(k, dim), dim, rows.begin() + row * dim);
            const features::Frame& fr = f.frames[k];
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
  writer.commit();
  progress.finish();
  log_line(
      common,
      "wrote " + out + ": " + std::to_string(total) + " x " + std::to_string(dim) + " descriptors of " +
          std::to_string(view.size()) + " images" +
          (total < sample ? " (all there were; fewer than --sample " + std::to_string(sample) + ")" : ""));
  return 0;
}

}  // namespace featpipe::pipelines
