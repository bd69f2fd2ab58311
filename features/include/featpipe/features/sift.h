#pragma once
// SIFT keypoints (Lowe, "Distinctive image features from scale-invariant keypoints", IJCV 2004) through
// OpenCV's detector and descriptor, in VLFeat's frame convention with unit-length descriptors.
#include <memory>
#include <optional>
#include <string>

#include "featpipe/features/descriptor.h"

namespace featpipe::features {

struct SiftParams {
  int max_features = 0;    // keep the strongest this many (0: all)
  int layers = 3;          // scales per octave
  double contrast = 0.04;  // minimum contrast of a keypoint (OpenCV's threshold, divided by layers)
  double edge = 10;        // maximum ratio of principal curvatures: rejects edges
  double sigma = 1.6;      // blur of the first octave
};

/// max_features >= 0, layers in 1..10, contrast >= 0, edge and sigma positive.
std::optional<std::string> validate(const SiftParams& params);

/// Spec `sift(max=0,layers=3,contrast=0.04,edge=10,sigma=1.6)`: up to `max` frames (0: all) across scales,
/// with orientation; dim() == 128, unit L2 norm. Needs an image of at least 8x8 pixels.
std::unique_ptr<DescriptorExtractor> make_sift(const SiftParams& params);

}  // namespace featpipe::features
