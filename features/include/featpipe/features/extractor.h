#pragma once
// Global feature extractors (STYLE.md: interface + hidden implementation). An extractor is made from a
// spec term such as `raw(gray=1,size=28x28)` or `hog(cell=4,bins=9,variant=uoctti)`; terms joined by '+'
// concatenate into one vector.
#include <cstddef>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "featpipe/core/registry.h"
#include "featpipe/core/spec.h"

namespace featpipe::features {

class FeatureExtractor {
 public:
  virtual ~FeatureExtractor() = default;
  /// Canonical spec, recorded in store provenance; make_extractor(spec()) builds an equal extractor.
  virtual std::string spec() const = 0;
  /// Output width for images of this size and channel count. Throws std::invalid_argument when the
  /// extractor cannot handle that size (saying what would work).
  virtual std::size_t dim(cv::Size size, int channels) const = 0;
  /// Writes dim(image.size(), image.channels()) floats to out. image is uint8 with 1 or 3 channels (BGR).
  /// Deterministic and thread-safe (const, no shared mutable state). Throws std::invalid_argument on an
  /// empty image, a wrong type or a size it cannot handle.
  virtual void extract(const cv::Mat& image, float* out) const = 0;
};

/// An extractor whose row is a map of an inner extractor's row that costs less over many rows at once
/// (random Fourier features: one pass over a matrix of megabytes per block of rows instead of per image).
/// extract() maps one row; extract_block() extracts the inner rows of a block of images, then maps them
/// together. map_rows() gives every row the bits extract() gives it alone.
class RowMappedExtractor : public FeatureExtractor {
 public:
  virtual const FeatureExtractor& inner() const = 0;
  /// The inner rows' width the map takes (after dim() was asked for the images' size).
  virtual std::size_t input_dim() const = 0;
  /// Maps `rows` inner rows (rows x input_dim()) into out (rows x dim). Thread-safe.
  virtual void map_rows(const float* in, std::size_t rows, float* out) const = 0;
};

/// Builds the extractor for a spec (`raw`, `raw(gray=1,size=WxH)`, terms joined by '+'). Throws
/// std::invalid_argument naming the term on an unknown name, an unknown key or a bad value.
std::unique_ptr<FeatureExtractor> make_extractor(const std::string& spec);

/// Builds one extractor from one term whose name is the entry's.
using ExtractorFactory = std::unique_ptr<FeatureExtractor> (*)(const SpecTerm& term);

/// Every extractor name a spec may use, with its parameters and their defaults. Each entry builds from its
/// bare name (all defaults). make_extractor() looks terms up here, so an unknown name is refused with the
/// known ones listed.
const Registry<ExtractorFactory>& extractor_registry();

/// Checks the common preconditions (non-empty, CV_8U, 1 or 3 channels); throws std::invalid_argument
/// naming `who` otherwise.
void check_image(const cv::Mat& image, const std::string& who);

}  // namespace featpipe::features
