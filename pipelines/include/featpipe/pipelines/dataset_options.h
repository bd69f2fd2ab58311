#pragma once
// The dataset options shared by every command that reads images: --data, --split, --val-size, --resize.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "featpipe/data/dataset.h"
#include "featpipe/data/split.h"
#include "featpipe/features/augment.h"
#include "featpipe/pipelines/cli.h"

namespace featpipe::pipelines {

struct DatasetArgs {
  std::string spec = "fashion-mnist";
  std::string split = "train";
  std::string val_size;  // empty: no val split
  std::string resize;    // "WxH" or empty
  std::string subset;    // empty: the whole split; else a stratified, seeded count or fraction of it
};

void add_dataset_options(po::options_description& options, DatasetArgs& args);

/// An opened dataset and the selected split (the view refers to the dataset it owns).
struct OpenedSplit {
  std::unique_ptr<data::Dataset> dataset;
  std::unique_ptr<data::SplitView> view;
  nlohmann::json provenance;  // dataset spec, split, val_size, resize, seed
};

/// Opens the dataset and selects the split; InputError naming the option on bad values.
OpenedSplit open_split(const DatasetArgs& args, uint64_t seed);

/// --augment of the stages that write feature rows of images (extract, encode).
void add_augment_option(po::options_description& options, std::string& augment);
/// "none" | "flip"; InputError("--augment") for another value, and for a val or test split: augmenting
/// evaluation data would bias what it measures.
features::Augment parse_augment_option(const std::string& augment, const DatasetArgs& args);

/// "WxH" -> cv::Size; InputError naming `option` otherwise.
cv::Size parse_size_option(const std::string& text, const std::string& option);

}  // namespace featpipe::pipelines
