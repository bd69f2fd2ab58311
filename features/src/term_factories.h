#pragma once
// Private: one registry entry per extractor name, each defined in the extractor's own file beside the
// parsing of its spec term; extractor.cpp lists them in extractor_registry().
#include "featpipe/features/extractor.h"

namespace featpipe::features {

RegistryEntry<ExtractorFactory> raw_entry();
RegistryEntry<ExtractorFactory> huehist_entry();
RegistryEntry<ExtractorFactory> colorhist_entry();
RegistryEntry<ExtractorFactory> hog_entry();
RegistryEntry<ExtractorFactory> lbp_entry();

}  // namespace featpipe::features
