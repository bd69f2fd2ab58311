#include "featpipe/features/descriptor.h"

#include <stdexcept>

#include "descriptor_factories.h"

namespace featpipe::features {
namespace {

using Factory = std::unique_ptr<DescriptorExtractor> (*)(const SpecTerm&);

struct NamedFactory {
  const char* name;
  Factory make;
};

const NamedFactory kFactories[] = {
    {"sift", make_sift},
    {"dsift", make_dsift},
    {"patch", make_patch},
};

}  // namespace

std::unique_ptr<DescriptorExtractor> make_descriptor(const std::string& spec) {
  const std::vector<SpecTerm> terms = parse_spec(spec);
  if (terms.size() != 1) {
    throw std::invalid_argument(
        "descriptor '" + spec +
        "': one descriptor at a time (their frames differ, so they cannot be joined by '+')");
  }
  std::string names;
  for (const NamedFactory& f : kFactories) {
    if (terms[0].name == f.name) return f.make(terms[0]);
    names += names.empty() ? f.name : std::string(", ") + f.name;
  }
  throw std::invalid_argument("descriptor '" + terms[0].name + "': unknown descriptor; known: " + names);
}

}  // namespace featpipe::features
