#pragma once
// Raw pixels: the baseline every engineered feature is compared against.
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>

#include "featpipe/features/extractor.h"

namespace featpipe::features {

struct RawParams {
  bool gray = false;  // convert colour images to one luminance channel
  cv::Size size;      // resize to this first (INTER_AREA); empty keeps the image size
};

/// size empty or both sides positive.
std::optional<std::string> validate(const RawParams& params);

/// Spec `raw(gray=0|1,size=WxH)`. dim() == W * H * C of the (resized) image, C = 1 when gray; values are
/// pixel / 255 in row-major H x W x C order (BGR for colour images).
std::unique_ptr<FeatureExtractor> make_raw(const RawParams& params);

}  // namespace featpipe::features
