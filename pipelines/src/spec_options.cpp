#include "spec_options.h"

#include "featpipe/classify/loss.h"
#include "featpipe/classify/optimizer.h"
#include "featpipe/classify/regularizer.h"
#include "featpipe/classify/schedule.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/extractor.h"
#include "featpipe/vocab/encoder.h"
#include "featpipe/vocab/kernel_map.h"
#include "featpipe/vocab/normalize.h"
#include "featpipe/vocab/rbf_map.h"

namespace featpipe::pipelines {
namespace {

template <typename Value>
SpecOption option_of(const Registry<Value>& registry, std::string option, std::string title) {
  return {std::move(option), std::move(title), registry.kind(), registry.names(), registry.help()};
}

}  // namespace

const std::vector<SpecOption>& spec_options() {
  static const std::vector<SpecOption> table = {
      option_of(features::extractor_registry(), "--features",
                "global feature extractors (extract, joined by '+': their outputs concatenated)"),
      option_of(features::descriptor_registry(), "--descriptor", "local descriptors (descriptors, match)"),
      option_of(vocab::encoding_registry(), "--encoding", "encodings against a vocabulary (encode)"),
      option_of(vocab::norm_registry(), "--norm", "per-cell normalisations (encode, joined by '+': in turn)"),
      option_of(vocab::kernel_registry(), "--kernel-map", "homogeneous kernel maps (encode)"),
      option_of(vocab::random_feature_registry(), "--kernel-map", "random feature maps (encode)"),
      option_of(classify::loss_registry(), "--loss",
                "losses (train, sweep; a parameter is the option of its name, e.g. --delta)"),
      option_of(classify::regularizer_registry(), "--reg", "regularisers (train, sweep)"),
      option_of(classify::optimizer_registry(), "--optimizer", "optimisers (train, sweep)"),
      option_of(classify::schedule_registry(), "--schedule", "learning-rate schedules (train, sweep)"),
  };
  return table;
}

std::string spec_options_help() {
  std::string out =
      "Values of the options that name features, encodings and training choices, with their parameters\n"
      "and defaults: name(key=value,...), e.g. --features 'hog(cell=4)+huehist(bins=12)'.\n";
  for (const SpecOption& o : spec_options()) out += "\n" + o.option + ": " + o.title + "\n" + o.help;
  return out;
}

}  // namespace featpipe::pipelines
