#pragma once
// Private: dense SIFT with the flat spatial window, our implementation of vl_dsift's fast mode.
#include <opencv2/core.hpp>

#include "featpipe/features/descriptor.h"

namespace featpipe::features {

/// One size of a dense SIFT grid.
struct FlatDsiftGrid {
  int step = 1;        // pixels between frame centres
  int bin = 1;         // bin side in pixels
  int offset = 0;      // of the first descriptor's first bin centre from the image corner
  float contrast = 0;  // descriptors with a smaller vl_dsift "norm" (gradient mass) are set to zero
};

/// Appends to `out` the frames (scale bin / 3, angle 0) and unit-length 128-d descriptors of a float image
/// (CV_32FC1, values in [0, 1]). The same definition as vl_dsift with a flat window: gradients split linearly
/// between 8 orientations, a separable triangular kernel of half-width `bin` per spatial bin, each bin
/// weighted by the mean of a Gaussian window of sigma 2 bins, then L2 / clamp at 0.2 / L2 normalisation;
/// VLFeat's layout (orientation fastest, then bin x, then bin y). The caller checks that the image holds
/// at least one descriptor.
void flat_dense_sift(const cv::Mat& image, const FlatDsiftGrid& grid, LocalFeatures& out);

}  // namespace featpipe::features
