#pragma once
// Private: one factory per extractor name, each in its own file; extractor.cpp dispatches on the name.
#include <memory>

#include "featpipe/core/spec.h"
#include "featpipe/features/extractor.h"

namespace featpipe::features {

std::unique_ptr<FeatureExtractor> make_raw(const SpecTerm& term);
std::unique_ptr<FeatureExtractor> make_huehist(const SpecTerm& term);
std::unique_ptr<FeatureExtractor> make_colorhist(const SpecTerm& term);
std::unique_ptr<FeatureExtractor> make_hog(const SpecTerm& term);
std::unique_ptr<FeatureExtractor> make_lbp(const SpecTerm& term);

}  // namespace featpipe::features
