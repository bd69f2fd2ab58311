#pragma once
// Private: the options whose values are names from a registry (--features, --descriptor, --encoding, ...),
// each with its registry's names and help. `featpipe help features` prints them and the bash completion
// offers their names: both read the registries that parse the values, so neither can drift from them.
#include <string>
#include <vector>

namespace featpipe::pipelines {

struct SpecOption {
  std::string option;  // "--features"
  std::string title;   // what the names are, e.g. "extractors (joined by '+': outputs concatenated)"
  std::string kind;    // the registry's kind, e.g. "extractor"
  std::vector<std::string> names;
  std::string help;  // the registry's help: a line per name, an indented line per parameter
};

/// Every such option, in the order of the pipeline (features, descriptors, encodings, then training).
const std::vector<SpecOption>& spec_options();

/// The text of `featpipe help features`: each option's title and help, separated by blank lines.
std::string spec_options_help();

}  // namespace featpipe::pipelines
