#pragma once
// Local descriptors: frames (position, scale, orientation) found or laid out on an image, each with a
// descriptor vector. Made from a spec: `sift`, `dsift(step=4,size=4:6:8)`, `patch(size=6,stride=1)`.
#include <cstddef>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "featpipe/core/registry.h"
#include "featpipe/core/spec.h"

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

/// Builds one descriptor from a term whose name is the entry's.
using DescriptorFactory = std::unique_ptr<DescriptorExtractor> (*)(const SpecTerm& term);

/// Every local-descriptor name, with its parameters and their defaults (sift.h, dsift.h, patch.h). Each
/// entry builds from its bare name (all defaults).
const Registry<DescriptorFactory>& descriptor_registry();

/// Builds a descriptor from a one-term spec: `sift` (sift.h), `dsift` (dsift.h) or `patch` (patch.h), with
/// their parameters, e.g. `dsift(step=4,size=4:6:8)`.
/// Throws std::invalid_argument naming the term on an unknown name or key, a bad value, or several terms.
std::unique_ptr<DescriptorExtractor> make_descriptor(const std::string& spec);

}  // namespace featpipe::features
