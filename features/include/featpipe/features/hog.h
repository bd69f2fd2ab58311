#pragma once
// Histograms of oriented gradients in two variants:
//   uoctti       Felzenszwalb, Girshick, McAllester & Ramanan, "Object detection with discriminatively
//   trained
//                part-based models", PAMI 2010, as computed by VLFeat's vl_hog (with bilinear orientations).
//   dalaltriggs  Dalal & Triggs, "Histograms of oriented gradients for human detection", CVPR 2005, as
//                computed by OpenCV's HOGDescriptor (2x2-cell blocks at a one-cell stride, L2-Hys).
#include <memory>
#include <optional>
#include <string>

#include "featpipe/features/extractor.h"

namespace featpipe::features {

enum class HogVariant { uoctti, dalal_triggs };

struct HogParams {
  HogVariant variant = HogVariant::uoctti;
  int cell = 8;             // cell side in pixels
  int bins = 9;             // orientations over [0, pi); uoctti adds 2 * bins directed ones over [0, 2 pi)
  double clip = 0.2;        // truncation of block-normalised values (L2-Hys for dalaltriggs)
  double block_sigma = -1;  // dalaltriggs: Gaussian window over a block in pixels; < 0: block side / 4 as
                            // OpenCV, 0: none
};

/// cell in 1..128, bins in 2..36, clip > 0.
std::optional<std::string> validate(const HogParams& params);

/// Spec `hog(variant=uoctti|dalaltriggs,cell=8,bins=9,clip=0.2,sigma=-1)`. Colour images use, at each
/// pixel, the channel with the strongest gradient.
///
/// uoctti: cells_x = (W + cell / 2) / cell (likewise y; the last cell is at least half inside the image),
///   dim() == cells_y * cells_x * (3 * bins + 4), cell-major (y, x) and per cell: 2 * bins directed
///   orientations, bins undirected ones, 4 texture values. Pixels are scaled to [0, 1]; a gradient's vote is
///   split linearly between the two nearest orientations and bilinearly between the four nearest cells.
///   Needs an image of at least 4x4 pixels and cell - cell / 2 pixels.
/// dalaltriggs: cells_x = W / cell on a grid centred in the image, blocks_x = cells_x - 1, dim() ==
///   blocks_y * blocks_x * 4 * bins in block-major (y, x) order and, per block, cells (y, x) then
///   orientations. Pixels are in [0, 255] (L2-Hys adds 0.1 per block value to the norm, as OpenCV does).
///   Needs at least 2 * cell pixels each way.
std::unique_ptr<FeatureExtractor> make_hog(const HogParams& params);

}  // namespace featpipe::features
