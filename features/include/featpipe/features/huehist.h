#pragma once
// Hue histogram: how much of each hue (HSV) an image holds, over the pixels where hue means something.
#include <memory>
#include <optional>
#include <string>

#include "featpipe/features/extractor.h"
#include "featpipe/features/spatial_pyramid.h"

namespace featpipe::features {

struct HueHistParams {
  int bins = 12;                      // bin k is centred on hue k * 360 / bins degrees (0: red)
  double min_saturation = 0.1;        // less saturated pixels are skipped: their hue is noise
  double min_value = 0.1;             // darker pixels are skipped for the same reason
  bool weight_by_saturation = false;  // a pixel votes its saturation instead of 1
  PyramidParams pyramid;              // pooling grids (default: one global histogram)
};

/// bins in 2..360, thresholds in [0, 1], a valid pyramid.
std::optional<std::string> validate(const HueHistParams& params);

/// Spec `huehist(bins=12,min_sat=0.1,min_val=0.1,weight=count|sat,pyramid=1:2:4,lazebnik=0|1)`.
/// dim() == pyramid cells * bins. A pixel's vote is split linearly between the two bins whose centres
/// enclose its hue. Each cell histogram is divided by the cell's pixel count, so it sums to the fraction of
/// the cell's pixels that carry hue: all zeros for grey images, including 1-channel ones.
std::unique_ptr<FeatureExtractor> make_huehist(const HueHistParams& params);

}  // namespace featpipe::features
