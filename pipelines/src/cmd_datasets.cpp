// featpipe datasets: which datasets are found, with class names and counts.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/data/dataset.h"
#include "featpipe/pipelines/cli.h"

namespace featpipe::pipelines {
namespace {

void describe(const data::Dataset& ds) {
  const auto& names = ds.class_names();
  const std::vector<int32_t> train = ds.labels(data::Source::train);
  const std::vector<int32_t> test = ds.labels(data::Source::test);
  std::vector<std::size_t> train_counts(names.size()), test_counts(names.size());
  for (int32_t l : train) ++train_counts[l];
  for (int32_t l : test) ++test_counts[l];
  std::string size = "varying";
  if (auto s = ds.uniform_size()) size = std::to_string(s->width) + "x" + std::to_string(s->height);
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
