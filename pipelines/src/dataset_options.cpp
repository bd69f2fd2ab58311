#include "featpipe/pipelines/dataset_options.h"

#include <cstdio>

#include "featpipe/core/errors.h"

namespace featpipe::pipelines {

void add_dataset_options(po::options_description& options, DatasetArgs& args) {
  options.add_options()                                                                                //
      ("data", po::value<std::string>(&args.spec)->default_value(args.spec),                           //
       "dataset spec: fashion-mnist, mnist:DIR, idx:DIR, cifar10:DIR, folder:DIR, synthetic:shapes")   //
      ("split", po::value<std::string>(&args.split)->default_value(args.split), "train | val | test")  //
      ("val-size", po::value<std::string>(&args.val_size),
       "hold out a stratified, seeded val split of this many images (or this fraction) of train")  //
      ("resize", po::value<std::string>(&args.resize), "resize every image to WxH first")          //
      ("subset", po::value<std::string>(&args.subset),
       "keep a stratified, seeded subset of the split: this many images (or this fraction)");
}

void add_augment_option(po::options_description& options, std::string& augment) {
  options.add_options()("augment", po::value<std::string>(&augment)->default_value("none"),
                        "flip: add the horizontal mirror of every image after it (train split only)");
}

features::Augment parse_augment_option(const std::string& augment, const DatasetArgs& args) {
  const features::Augment parsed = blame("--augment", [&] { return features::parse_augment(augment); });
  if (parsed != features::Augment::none && data::parse_split(args.split) != data::Split::train) {
    throw InputError("--augment", "augments training data only, not --split " + args.split +
                                      ": mirrored copies of evaluation images would bias what they measure");
  }
  return parsed;
}

cv::Size parse_size_option(const std::string& text, const std::string& option) {
  int w = 0, h = 0;
  char x = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || x != 'x' || w <= 0 || h <= 0) {
    throw InputError(option, "'" + text + "' is not WxH with positive integers (e.g. 64x64)");
  }
  return {w, h};
}

OpenedSplit open_split(const DatasetArgs& args, uint64_t seed) {
  OpenedSplit out;
  const data::Split split = data::parse_split(args.split);
  data::OpenOptions open;
  open.seed = seed;
  if (!args.resize.empty()) open.resize = parse_size_option(args.resize, "--resize");
  data::SplitOptions split_options;
  split_options.seed = seed;
  if (!args.val_size.empty()) split_options.val_size = data::parse_val_size(args.val_size);
  out.dataset = data::open_dataset(args.spec, open);
  data::SplitView view = data::select_split(*out.dataset, split, split_options);
  if (!args.subset.empty()) {
    double subset = 0;
    try {
      subset = data::parse_val_size(args.subset);
    } catch (const InputError&) {
      throw InputError("--subset", "'" + args.subset + "' is not a positive count (1000) or fraction (0.1)");
    }
    std::vector<int32_t> labels(view.size());
    for (std::size_t i = 0; i < view.size(); ++i) labels[i] = view.label(i);
    if (subset < double(view.size())) {
      std::vector<int64_t> rows;
      for (int64_t k : data::stratified_holdout(labels, subset, seed, random::Stream::subset))
        rows.push_back(view.rows()[k]);
      view = data::SplitView(*out.dataset, view.source(), std::move(rows));
    }
  }
  out.view = std::make_unique<data::SplitView>(std::move(view));
  out.provenance = {{"dataset", args.spec}, {"split", data::to_string(split)}, {"seed", seed}};
  if (!args.val_size.empty()) out.provenance["val_size"] = split_options.val_size;
  if (!args.resize.empty()) out.provenance["resize"] = args.resize;
  if (!args.subset.empty()) out.provenance["subset"] = args.subset;
  return out;
}

}  // namespace featpipe::pipelines
