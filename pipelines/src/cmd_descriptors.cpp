// featpipe descriptors: a seeded, per-image-balanced sample of local descriptors of a dataset split
// (features::sample_descriptors), for learning a vocabulary.
#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/sample_descriptors.h"
#include "featpipe/pipelines/cli_observer.h"
#include "featpipe/pipelines/console.h"
#include "featpipe/pipelines/dataset_options.h"
#include "featpipe/pipelines/ranks.h"

namespace featpipe::pipelines {

int run_descriptors(const std::vector<std::string>& args) {
  po::options_description options("descriptors options");
  DatasetArgs dataset_args;
  std::string descriptor_spec, out;
  std::size_t sample = 100000, block_images = 1024;
  add_dataset_options(options, dataset_args);
  options.add_options()                                                                 //
      ("descriptor", po::value<std::string>(&descriptor_spec)->default_value("dsift"),  //
       ("local descriptor, e.g. dsift(step=4,size=4:6:8): " +
        features::descriptor_registry().joined_names(" | "))
           .c_str())                                                                                    //
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

  std::unique_ptr<features::DescriptorExtractor> descriptor;
  try {
    descriptor = features::make_descriptor(descriptor_spec);
  } catch (const std::invalid_argument& e) {
    throw InputError("--descriptor", e.what());
  }
  OpenedSplit opened = open_split(dataset_args, common.seed);
  CliObserver observer(common.quiet);
  const features::DescriptorSampleSummary done =
      features::sample_descriptors(*opened.view, *descriptor, opened.provenance, out,
                                   {sample, block_images, common.seed, ranks().collective}, observer);
  notify(Notice::info,
         "wrote " + out + ": " + std::to_string(done.rows) + " x " + std::to_string(done.dim) +
             " descriptors of " + std::to_string(done.images) + " images" +
             (done.rows < sample ? " (all there were; fewer than --sample " + std::to_string(sample) + ")"
                                 : ""));
  return 0;
}

}  // namespace featpipe::pipelines
