#pragma once
// Private: one factory per extractor name, each in its own file; extractor.cpp dispatches on the name.
#include <memory>

#include "featpipe/data/spec.h"
#include "featpipe/features/extractor.h"

namespace featpipe::features {

std::unique_ptr<FeatureExtractor> make_raw(const SpecTerm& term);

}  // namespace featpipe::features
