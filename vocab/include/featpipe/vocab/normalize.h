#pragma once
// Normalisations of encodings, applied in order to each pyramid cell's block of values. A spec joins steps
// with '+': `l1`, `l2`, `hellinger`, `power(alpha=0.5)+l2` (the "improved" Fisher vector of Perronnin et
// al. 2010), or `none`.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/core/registry.h"

namespace featpipe::vocab {

enum class NormKind {
  l1,         // v / sum |v|
  l2,         // v / ||v||
  hellinger,  // sign(v) sqrt(|v| / sum |v|): L1 then square root, so the dot product is the Bhattacharyya
              // coefficient of two histograms
  power,      // sign(v) |v|^alpha
};

struct NormStep {
  NormKind kind = NormKind::l2;
  float alpha = 0.5f;  // power only, in (0, 1]
};

/// The step names a norm spec may join (l1, l2, hellinger, power), with their parameters.
const Registry<NormKind>& norm_registry();

/// Parses a norm spec; std::invalid_argument naming the step and the accepted ones otherwise.
std::vector<NormStep> parse_norm(const std::string& spec);
/// Canonical text: "none" for no steps, e.g. "power(alpha=0.5)+l2".
std::string format_norm(const std::vector<NormStep>& steps);

/// Applies the steps to each of `blocks` consecutive blocks of `width` values. A block of zeros (a pyramid
/// cell with no descriptor) stays zero.
void normalize_blocks(float* values, std::size_t blocks, std::size_t width,
                      const std::vector<NormStep>& steps);

}  // namespace featpipe::vocab
