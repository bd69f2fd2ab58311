#pragma once
// Local binary patterns (Ojala, Pietikainen & Maenpaa, PAMI 2002): per cell, a histogram of the 3x3 patterns
// of "neighbour brighter than centre" bits, quantised to the uniform ones; VLFeat's vl_lbp conventions.
#include <memory>
#include <optional>
#include <string>

#include "featpipe/features/extractor.h"

namespace featpipe::features {

struct LbpParams {
  int cell = 8;  // cell side in pixels
};

/// cell in 1..256.
std::optional<std::string> validate(const LbpParams& params);

/// Spec `lbp(cell=8)`. cells_x = W / cell (likewise y), dim() == cells_y * cells_x * 58, cell-major (y, x).
/// Per cell: 56 bins for the uniform patterns with one run of 1..7 set bits (bin 7 * start + run - 1, bits
/// numbered clockwise from the east neighbour), one for the two constant patterns, one for all others.
/// Colour images are converted to grey first. Votes are split bilinearly between the four nearest cells and
/// each cell histogram h is mapped to sqrt(h) / sqrt(sum h) (unit L2 norm, the Hellinger embedding).
/// Needs at least 3x3 pixels and one cell.
std::unique_ptr<FeatureExtractor> make_lbp(const LbpParams& params);

}  // namespace featpipe::features
