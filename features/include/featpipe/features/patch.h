#pragma once
// Raw image patches with per-patch normalisation: the input of k-means feature learning (Coates, Lee & Ng,
// "An analysis of single-layer networks in unsupervised feature learning", AISTATS 2011).
#include <memory>
#include <optional>
#include <string>

#include "featpipe/features/descriptor.h"

namespace featpipe::features {

struct PatchParams {
  int size = 6;     // patch side in pixels
  int stride = 1;   // pixels between patch corners
  double eps = 10;  // added to the variance before dividing (pixels in [0, 255]); keeps flat patches flat
  bool normalise = true;  // subtract each patch's mean and divide by sqrt(variance + eps)
};

/// size in 1..64, stride >= 1, eps > 0.
std::optional<std::string> validate(const PatchParams& params);

/// Spec `patch(size=6,stride=1,eps=10,norm=1)`: raw size x size patches (all channels, channel-interleaved,
/// pixels in [0, 255]) every `stride` pixels; dim() == size * size * channels. Needs an image of at least
/// size x size pixels.
std::unique_ptr<DescriptorExtractor> make_patch(const PatchParams& params);

}  // namespace featpipe::features
