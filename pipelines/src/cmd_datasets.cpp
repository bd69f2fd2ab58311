// featpipe datasets: which datasets are found, with class names and counts.
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <utility>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/data/dataset.h"
#include "featpipe/pipelines/cli.h"

namespace featpipe::pipelines {
namespace {

std::string size_text(cv::Size s) { return std::to_string(s.width) + "x" + std::to_string(s.height); }

/// "28x28" when every image has that size, else "sizes from 32x24 to 640x480 (5 sizes)", from the images'
/// headers where the files have them; "size unknown for N images" adds those it cannot tell without
/// decoding.
std::string image_sizes(const data::Dataset& ds) {
  if (auto s = ds.uniform_size()) return size_text(*s);
  std::map<std::pair<int, int>, std::size_t> sizes;  // (area, width) -> images, smallest first
  std::size_t unknown = 0;
  for (data::Source source : {data::Source::train, data::Source::test}) {
    for (std::size_t i = 0; i < ds.size(source); ++i) {
      if (auto s = ds.image_size(source, i)) {
        ++sizes[{s->area(), s->width}];
      } else {
        ++unknown;
      }
    }
  }
  const auto size_of = [](const std::pair<int, int>& key) {
    return cv::Size(key.second, key.second ? key.first / key.second : 0);
  };
  std::string text = sizes.size() == 1 ? size_text(size_of(sizes.begin()->first))
                     : sizes.empty()
                         ? "sizes unknown"
                         : "sizes from " + size_text(size_of(sizes.begin()->first)) + " to " +
                               size_text(size_of(sizes.rbegin()->first)) + " (" +
                               std::to_string(sizes.size()) + " sizes; --resize WxH makes them one)";
  if (unknown && !sizes.empty()) text += ", size unknown for " + std::to_string(unknown) + " images";
  return text;
}

void describe(const data::Dataset& ds) {
  const auto& names = ds.class_names();
  const std::vector<int32_t> train = ds.labels(data::Source::train);
  const std::vector<int32_t> test = ds.labels(data::Source::test);
  std::vector<std::size_t> train_counts(names.size()), test_counts(names.size());
  for (int32_t l : train) ++train_counts[l];
  for (int32_t l : test) ++test_counts[l];
  const std::string size = image_sizes(ds);
  std::printf("%s\n  %zu train / %zu test images, %s, %d channel%s, %zu classes\n", ds.spec().c_str(),
              train.size(), test.size(), size.c_str(), ds.channels(), ds.channels() == 1 ? "" : "s",
              names.size());
  std::printf("  %-3s %-20s %8s %8s\n", "id", "class", "train", "test");
  for (std::size_t c = 0; c < names.size(); ++c) {
    std::printf("  %-3zu %-20s %8zu %8zu\n", c, names[c].c_str(), train_counts[c], test_counts[c]);
  }
}

}  // namespace

int run_datasets(const std::vector<std::string>& args) {
  po::options_description options("datasets options");
  std::vector<std::string> specs;
  std::string resize;
  options.add_options()("data", po::value<std::vector<std::string>>(&specs),
                        "also describe these dataset specs (mnist:DIR, cifar10:DIR, folder:DIR, ...)");
  CommonOptions common;
  auto vm = parse_command_line("datasets", "[--data SPEC]...", args, options, {}, common);
  if (!vm) return 0;

  const bool explicit_specs = !specs.empty();
  if (!explicit_specs) specs = data::known_dataset_specs();
  int found = 0;
  for (const std::string& spec : specs) {
    data::OpenOptions open;
    open.seed = common.seed;
    try {
      describe(*data::open_dataset(spec, open));
      ++found;
    } catch (const InputError& e) {
      if (explicit_specs) throw;
      std::printf("%s\n  not found: %s\n", spec.c_str(), e.what());
      if (spec == "fashion-mnist") {
        std::printf(
            "  (install Debian's dataset-fashion-mnist, or set FEATPIPE_FASHION_MNIST to its folder)\n");
      }
    }
    std::printf("\n");
  }
  std::printf("%d dataset%s found\n", found, found == 1 ? "" : "s");
  return 0;
}

}  // namespace featpipe::pipelines
