#include "featpipe/features/descriptor.h"

#include <stdexcept>

#include "descriptor_factories.h"

namespace featpipe::features {

const Registry<DescriptorFactory>& descriptor_registry() {
  static const Registry<DescriptorFactory> registry("descriptor",
                                                    {sift_entry(), dsift_entry(), patch_entry()});
  return registry;
}

std::unique_ptr<DescriptorExtractor> make_descriptor(const std::string& spec) {
  const std::vector<SpecTerm> terms = parse_spec(spec);
  if (terms.size() != 1) {
    throw std::invalid_argument(
        "descriptor '" + spec +
        "': one descriptor at a time (their frames differ, so they cannot be joined by '+')");
  }
  return descriptor_registry().at(terms[0].name).value(terms[0]);
}

}  // namespace featpipe::features
