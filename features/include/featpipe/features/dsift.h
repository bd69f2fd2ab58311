#pragma once
// Dense SIFT, PHOW-style (Bosch, Zisserman & Munoz, ICCV 2007; VLFeat's vl_phow): several bin sizes at once,
// the image smoothed to each size's scale, frames of every size sharing centres.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/features/descriptor.h"

namespace featpipe::features {

struct DsiftParams {
  int step = 4;               // pixels between frame centres
  std::vector<int> sizes{4};  // bin sizes in pixels, one descriptor per size at every centre
  bool fast = true;           // flat spatial window instead of a Gaussian one (VLFeat's fast mode)
  double magnif = 6;          // each size smooths the image by sigma = size / magnif (0: no smoothing)
  double contrast = 0.005;    // descriptors of patches with a smaller gradient norm are set to zero
};

/// step in 1..256, at least one size, sizes in 1..256 and all different, magnif and contrast >= 0.
std::optional<std::string> validate(const DsiftParams& params);

/// Spec `dsift(step=4,size=4:6:8,fast=1,magnif=6,contrast=0.005)`: frames on a grid of `step` pixels with
/// bins of each size (in increasing order), the image smoothed by sigma = size / magnif per size; fast=1
/// uses the flat-window approximation (our implementation of VLFeat's fast mode), fast=0 vl_dsift's Gaussian
/// window. dim() == 128, unit L2 norm; descriptors of patches whose gradient norm is below `contrast` are
/// zero (flat background). Needs an image of at least 3 * largest size + 1 pixels each way.
std::unique_ptr<DescriptorExtractor> make_dsift(const DsiftParams& params);

}  // namespace featpipe::features
