// featpipe extract: global features of a dataset split into a feature store.
#include <iostream>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/dataset_options.h"
#include "featpipe/pipelines/extract_job.h"
#include "featpipe/pipelines/interrupt.h"

namespace featpipe::pipelines {

int run_extract(const std::vector<std::string>& args) {
  po::options_description options("extract options");
  DatasetArgs dataset_args;
  std::string feature_spec, out;
  std::size_t block_rows = 1024;
  add_dataset_options(options, dataset_args);
  options.add_options()                                                          //
      ("features", po::value<std::string>(&feature_spec)->default_value("raw"),  //
       "feature spec, terms joined by '+': raw, raw(gray=1,size=WxH), ...")      //
      ("out", po::value<std::string>(&out), "output feature store (.h5)")        //
      ("block", po::value<std::size_t>(&block_rows)->default_value(block_rows), "images per written block");
  CommonOptions common;
  auto vm = parse_command_line("extract", "--data SPEC --split S --features FSPEC --out F.h5", args, options,
                               {}, common);
  if (!vm) return 0;
  require(*vm, "out");
  check_output_path(out, "--out");
  if (block_rows == 0) throw InputError("--block", "must be at least 1");

  std::unique_ptr<features::FeatureExtractor> extractor;
  try {
    extractor = features::make_extractor(feature_spec);
  } catch (const std::invalid_argument& e) {
    throw InputError("--features", e.what());
  }
  OpenedSplit opened = open_split(dataset_args, common.seed);
  const data::SplitView& view = *opened.view;
  if (view.size() == 0)
    throw InputError("--split", dataset_args.split + " of " + dataset_args.spec + " is empty");

  const cv::Mat first = view.image(0);
  std::size_t dim = 0;
  try {
    dim = extractor->dim(first.size(), first.channels());
  } catch (const std::invalid_argument& e) {
    throw InputError("--features", e.what());
  }

  nlohmann::json provenance = opened.provenance;
  provenance["command"] = "extract";
  provenance["features"] = extractor->spec();
  provenance["dim"] = dim;
  provenance["image_size"] = {first.cols, first.rows, first.channels()};
  data::FeatureStoreWriter writer(out, dim, opened.dataset->class_names(), provenance);

  Progress progress("extract " + extractor->spec(), view.size(), common.quiet);
  extract_to_store(view, *extractor, dim, {0, view.size(), block_rows}, writer, progress);
  provenance["seconds"] = progress.elapsed_seconds();
  writer.store().set_provenance(provenance);
  writer.commit();
  progress.finish();
  log_line(common,
           "wrote " + out + ": " + std::to_string(view.size()) + " x " + std::to_string(dim) + " float32");
  return 0;
}

}  // namespace featpipe::pipelines
