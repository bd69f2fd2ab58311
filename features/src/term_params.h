#pragma once
// Private: spec-term parameters shared by several extractors, parsed and printed one way.
#include <string>

#include "featpipe/core/format.h"
#include "featpipe/core/spec.h"
#include "featpipe/features/spatial_pyramid.h"

namespace featpipe::features {

/// `pyramid=1:2:4` and `lazebnik=1` of a term (defaults: one 1x1 level, no weights). Not validated.
PyramidParams parse_pyramid_params(const SpecTerm& term);
/// Writes both keys into a term, so spec() records the pyramid explicitly.
void put_pyramid_params(const PyramidParams& params, SpecTerm& term);

}  // namespace featpipe::features
