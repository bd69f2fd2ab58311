#pragma once
// Private: one factory per local-descriptor name, each in its own file; descriptor.cpp dispatches on the
// name.
#include <memory>

#include "featpipe/core/spec.h"
#include "featpipe/features/descriptor.h"

namespace featpipe::features {

std::unique_ptr<DescriptorExtractor> make_sift(const SpecTerm& term);
std::unique_ptr<DescriptorExtractor> make_dsift(const SpecTerm& term);
std::unique_ptr<DescriptorExtractor> make_patch(const SpecTerm& term);

}  // namespace featpipe::features
