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

/// Hue in sixths of the circle, [0, 6), of a pixel whose largest channel is `max` and whose chroma
/// (max - min) is positive, as in Foley & van Dam's RGB -> HSV.
inline float hue_sixths(int r, int g, int b, int max, int chroma) {
  if (max == r) {
    const float sixths = static_cast<float>(g - b) / chroma;
    return sixths < 0 ? sixths + 6.0f : sixths;
  }
  if (max == g) return static_cast<float>(b - r) / chroma + 2.0f;
  return static_cast<float>(r - g) / chroma + 4.0f;
}

/// votes holds votes_per_pixel votes for each pixel of an image of `size`, row-major. Writes cells() x bins
/// values: each cell's histogram divided by the cell's pixel count, then the pyramid's level weights applied.
void pool_pixel_votes(const SpatialPyramid& pyramid, cv::Size size, const PixelVote* votes,
                      int votes_per_pixel, std::size_t bins, float* out);

}  // namespace featpipe::features
