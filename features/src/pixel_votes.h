#pragma once
// Private: histograms of per-pixel votes pooled over a spatial pyramid (huehist, colorhist).
#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "featpipe/features/spatial_pyramid.h"

namespace featpipe::features {

struct PixelVote {
  uint32_t bin = 0;
  float weight = 0;  // 0 for a pixel that does not vote
};

/// votes holds votes_per_pixel votes for each pixel of an image of `size`, row-major. Writes cells() x bins
/// values: each cell's histogram divided by the cell's pixel count, then the pyramid's level weights applied.
void pool_pixel_votes(const SpatialPyramid& pyramid, cv::Size size, const PixelVote* votes,
                      int votes_per_pixel, std::size_t bins, float* out);

}  // namespace featpipe::features
