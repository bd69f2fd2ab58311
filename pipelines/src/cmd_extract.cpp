// featpipe extract: global features of a dataset split into a feature store.
#include <iostream>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/features/extract.h"
#include "featpipe/features/extractor.h"
#include "featpipe/pipelines/cli_observer.h"
#include "featpipe/pipelines/console.h"
#include "featpipe/pipelines/dataset_options.h"
#include "featpipe/pipelines/ranks.h"
#include "featpipe/vocab/rbf_mapped_extractor.h"

namespace featpipe::pipelines {

int run_extract(const std::vector<std::string>& args) {
  po::options_description options("extract options");
  DatasetArgs dataset_args;
  std::string feature_spec, out, kernel_map, augment;
  std::size_t block_rows = 1024;
  add_dataset_options(options, dataset_args);
  add_augment_option(options, augment);
  options.add_options()                                                          //
      ("features", po::value<std::string>(&feature_spec)->default_value("raw"),  //
       ("feature spec, terms joined by '+', e.g. hog(cell=4)+huehist(pyramid=1:2); extractors: " +
        features::extractor_registry().joined_names(", "))
           .c_str())  //
      ("kernel-map", po::value<std::string>(&kernel_map),
       "rbf(gamma=G,dim=D,seed=S): random Fourier features of the extracted vector")  //
      ("out", po::value<std::string>(&out), "output feature store (.h5)")             //
      ("block", po::value<std::size_t>(&block_rows)->default_value(block_rows), "images per written block");
  CommonOptions common;
  auto vm = parse_command_line("extract", "--data SPEC --split S --features FSPEC --out F.h5", args, options,
                               {}, common);
  if (!vm) return 0;
  require(*vm, "out");
  check_output_path(out, "--out");
  const features::Augment augmentation = parse_augment_option(augment, dataset_args);

  std::unique_ptr<features::FeatureExtractor> extractor;
  try {
    extractor = features::make_extractor(feature_spec);
  } catch (const std::invalid_argument& e) {
    throw InputError("--features", e.what());
  }
  OpenedSplit opened = open_split(dataset_args, common.seed);
  if (vm->count("kernel-map")) {
    const vocab::RbfMapParams rbf = blame("--kernel-map", [&] {
      if (!vocab::is_random_feature_spec(kernel_map)) {
        throw std::invalid_argument(
            "extract takes random feature maps only (rbf(gamma=G,dim=D,seed=S)), not '" + kernel_map +
            "'; homogeneous kernel maps are for encode");
      }
      return vocab::parse_rbf_map(kernel_map);
    });
    extractor = std::make_unique<vocab::RbfMappedExtractor>(std::move(extractor), rbf);
    // Beside the extractor's spec, so that predict applies the same map (feature_chain.cpp).
    opened.provenance["kernel_map"] = vocab::to_spec(rbf);
  }
  CliObserver observer(common.quiet);
  const features::ExtractSummary done = features::extract_split(
      *opened.view, *extractor, opened.provenance, out,
      {block_rows, "extract", "--features", ranks().collective, augmentation}, observer);
  notify(Notice::info, "wrote " + out + ": " + std::to_string(done.rows) + " x " + std::to_string(done.dim) +
                           " float32, " + std::to_string(opened.view->dataset().class_names().size()) +
                           " classes");
  return 0;
}

}  // namespace featpipe::pipelines
