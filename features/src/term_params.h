#pragma once
// Private: spec-term parameters shared by several extractors, parsed and printed one way.
#include <stdexcept>
#include <string>
#include <vector>

#include "featpipe/core/format.h"
#include "featpipe/core/registry.h"
#include "featpipe/core/spec.h"
#include "featpipe/features/spatial_pyramid.h"

namespace featpipe::features {

/// `pyramid=1:2:4` and `lazebnik=1` of a term (defaults: one 1x1 level, no weights). Not validated.
PyramidParams parse_pyramid_params(const SpecTerm& term);
/// Writes both keys into a term, so spec() records the pyramid explicitly.
void put_pyramid_params(const PyramidParams& params, SpecTerm& term);

/// The two keys above, described for a registry entry with the defaults of `params`.
std::vector<ParamHelp> pyramid_param_help(const PyramidParams& params);

/// Throws std::invalid_argument "<who>: <message>" when validate(params) finds a problem: what every typed
/// factory does before building.
template <typename Params>
void throw_if_invalid(const std::string& who, const Params& params) {
  if (auto error = validate(params)) throw std::invalid_argument(who + ": " + *error);
}

/// A flag as specs write it: "1" or "0".
inline std::string format_flag(bool value) { return value ? "1" : "0"; }

}  // namespace featpipe::features
