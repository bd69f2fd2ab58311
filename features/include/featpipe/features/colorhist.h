#pragma once
// Colour histogram: the distribution of pixel colours, per channel or jointly, in RGB or HSV.
#include <memory>
#include <optional>
#include <string>

#include "featpipe/features/extractor.h"
#include "featpipe/features/spatial_pyramid.h"

namespace featpipe::features {

enum class ColorSpace { rgb, hsv };

struct ColorHistParams {
  ColorSpace space = ColorSpace::rgb;
  int bins = 8;           // per channel: equal-width bins of R, G, B or of H (degrees), S, V
  bool joint = false;     // one bins^3 histogram of colour triples instead of three of bins each
  PyramidParams pyramid;  // pooling grids (default: one global histogram)
};

/// bins in 2..256 per channel, at most 16 when joint (16^3 = 4096 bins).
std::optional<std::string> validate(const ColorHistParams& params);

/// Spec `colorhist(space=rgb|hsv,bins=8,joint=0|1,pyramid=1:2:4,lazebnik=0|1)`.
/// dim() == pyramid cells * (joint ? bins^3 : 3 * bins). Channels are in R, G, B (or H, S, V) order; a joint
/// bin is (b0 * bins + b1) * bins + b2. Grey images count as R = G = B; grey pixels, whose hue is undefined,
/// count in hue bin 0. Each cell histogram is divided by the cell's pixel count, so every channel's histogram
/// (or the joint one) sums to 1.
std::unique_ptr<FeatureExtractor> make_colorhist(const ColorHistParams& params);

}  // namespace featpipe::features
