#pragma once
// Local descriptors: frames (position, scale, orientation) found or laid out on an image, each with a
// descriptor vector. Made from a spec: `sift`, `dsift(step=4,size=4:6:8)`, `patch(size=6,stride=1)`.
#include <cstddef>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace featpipe::features {

/// VLFeat's frame convention: (x, y) in pixels with pixel centres at integer coordinates, scale the sigma of
/// a SIFT frame (its descriptor describes a square of 12 * scale pixels: 4 bins of 3 sigma), angle in
/// radians from the +x axis towards +y (clockwise on screen). Dense SIFT frames have scale = bin / 3 and
/// patches scale = size / 12 (the same square); both have angle 0.
struct Frame {
  float x = 0, y = 0;
  float scale = 0;
  float angle = 0;
};

/// One image's frames and their descriptors (row-major, frames.size() x dim). Meant to be reused from image
/// to image: extract() refills it without giving back capacity.
struct LocalFeatures {
  std::vector<Frame> frames;
  std::vector<float> descriptors;

  std::size_t size() const { return frames.size(); }
  const float* descriptor(std::size_t i, std::size_t dim) const { return descriptors.data() + i * dim; }
};

class DescriptorExtractor {
 public:
  virtual ~DescriptorExtractor() = default;
  /// Canonical spec, recorded in store provenance; make_descriptor(spec()) builds an equal extractor.
  virtual std::string spec() const = 0;
  /// Width of one descriptor for images with this many channels.
  virtual std::size_t dim(int channels) const = 0;
  /// Replaces `out` with the frames and descriptors of an 8-bit image with 1 or 3 channels (BGR).
  /// Deterministic and thread-safe. Throws std::invalid_argument on an empty image, a wrong type or an
  /// image too small for one descriptor (saying which size would work).
  virtual void extract(const cv::Mat& image, LocalFeatures& out) const = 0;
};

/// Builds a descriptor from a one-term spec:
///   sift(max=0,layers=3,contrast=0.04,edge=10,sigma=1.6)  SIFT keypoints (Lowe 2004, OpenCV's detector):
///       up to `max` frames (0: all) across scales, with orientation; 128-d, unit L2 norm.
///   dsift(step=4,size=4,fast=1,magnif=6,contrast=0.005)   dense SIFT (VLFeat vl_dsift) on a grid of `step`
///       pixels with bins of `size` pixels; several sizes as size=4:6:8 (PHOW: the image smoothed by
///       sigma = size / magnif per size, frames of all sizes sharing centres); fast=1 uses the flat-window
///       approximation (our implementation of VLFeat's fast mode), fast=0 vl_dsift's Gaussian window. 128-d,
///       unit L2 norm; descriptors of patches whose gradient norm is below `contrast` are zero (flat
///       background).
///   patch(size=6,stride=1,eps=10,norm=1)  raw size x size patches (all channels, channel-interleaved,
///       pixels in [0, 255]) every `stride` pixels; norm=1 subtracts each patch's mean and divides by
///       sqrt(variance + eps) (Coates & Ng's normalisation before k-means feature learning).
/// Throws std::invalid_argument naming the term on an unknown name or key, a bad value, or several terms.
std::unique_ptr<DescriptorExtractor> make_descriptor(const std::string& spec);

}  // namespace featpipe::features
