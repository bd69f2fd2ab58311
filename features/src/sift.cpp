#include "featpipe/features/sift.h"

#include <algorithm>
#include <cmath>
#include <opencv2/features2d.hpp>
#include <stdexcept>

#include "descriptor_factories.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/memory.h"
#include "featpipe/features/extractor.h"
#include "term_params.h"

namespace featpipe::features {
namespace {

constexpr int kSiftDim = 128;
constexpr int kMinSide = 8;  // below this OpenCV's scale space has no octave to search
// OpenCV's SIFT doubles the image for its first octave and keeps about 250 bytes of scale space per pixel
// of the input; beyond 2^26 pixels (8192 x 8192) the doubled octave outgrows what it handles (a 16384 x 8192
// image took 5 GiB and 42 s before failing inside OpenCV).
constexpr uint64_t kMaxPixels = uint64_t(1) << 26;
constexpr long double kBytesPerPixel = 250;

class SiftDescriptor final : public DescriptorExtractor {
 public:
  explicit SiftDescriptor(const SiftParams& p) : p_(p) {}

  std::string spec() const override {
    SpecTerm t{"sift", {}};
    t.params["max"] = std::to_string(p_.max_features);
    t.params["layers"] = std::to_string(p_.layers);
    t.params["contrast"] = format_number(p_.contrast);
    t.params["edge"] = format_number(p_.edge);
    t.params["sigma"] = format_number(p_.sigma);
    return t.canonical();
  }

  std::size_t dim(int) const override { return kSiftDim; }

  void extract(const cv::Mat& image, LocalFeatures& out) const override {
    check_image(image, "sift");
    if (image.cols < kMinSide || image.rows < kMinSide) {
      const std::string side = std::to_string(kMinSide);
      throw std::invalid_argument("sift: image " + std::to_string(image.cols) + "x" +
                                  std::to_string(image.rows) + " is too small; needs at least " + side + "x" +
                                  side + " pixels");
    }
    const uint64_t pixels = uint64_t(image.cols) * uint64_t(image.rows);
    const std::string size = std::to_string(image.cols) + "x" + std::to_string(image.rows);
    if (pixels > kMaxPixels) {
      throw std::invalid_argument("sift: image " + size + " has more than the " +
                                  std::to_string(kMaxPixels >> 20) +
                                  " Mi pixels SIFT works on; downscale it (e.g. to 4096 pixels wide)");
    }
    require_memory("sift", kBytesPerPixel * pixels, "the scale space of a " + size + " image");
    // A detector per call: it is a few parameters, and OpenCV does not promise that one instance may be used
    // from several threads at once.
    const cv::Ptr<cv::SIFT> sift =
        cv::SIFT::create(p_.max_features, p_.layers, p_.contrast, p_.edge, p_.sigma);
    thread_local std::vector<cv::KeyPoint> keypoints;
    thread_local cv::Mat descriptors;
    keypoints.clear();
    try {
      sift->detectAndCompute(image, cv::noArray(), keypoints, descriptors);
    } catch (const cv::Exception& e) {
      throw RunError("sift: OpenCV failed on a " + size + " image: " + e.err);
    }
    out.frames.resize(keypoints.size());
    out.descriptors.resize(keypoints.size() * kSiftDim);
    for (std::size_t i = 0; i < keypoints.size(); ++i) {
      const cv::KeyPoint& k = keypoints[i];
      // OpenCV's size is the diameter 2 sigma; its angle is in degrees, clockwise on screen like ours.
      out.frames[i] = {k.pt.x, k.pt.y, k.size / 2, k.angle * static_cast<float>(CV_PI / 180.0)};
      const float* d = descriptors.ptr<float>(static_cast<int>(i));
      float norm = 0;
      for (int j = 0; j < kSiftDim; ++j) norm += d[j] * d[j];
      const float scale = norm > 0 ? 1.0f / std::sqrt(norm) : 0.0f;
      std::transform(d, d + kSiftDim, out.descriptors.begin() + i * kSiftDim,
                     [&](float v) { return v * scale; });
    }
  }

 private:
  SiftParams p_;
};

std::vector<ParamHelp> sift_param_help() {
  const SiftParams d;
  return {{"max", std::to_string(d.max_features), "keep the strongest this many keypoints (0: all)"},
          {"layers", std::to_string(d.layers), "scales per octave"},
          {"contrast", format_number(d.contrast), "minimum contrast of a keypoint"},
          {"edge", format_number(d.edge), "maximum ratio of principal curvatures (rejects edges)"},
          {"sigma", format_number(d.sigma), "blur of the first octave"}};
}

std::unique_ptr<DescriptorExtractor> sift_from_term(const SpecTerm& term) {
  term.check_keys(param_keys(sift_param_help()));
  SiftParams p;
  p.max_features = term.get_int("max", p.max_features);
  p.layers = term.get_int("layers", p.layers);
  p.contrast = term.get_double("contrast", p.contrast);
  p.edge = term.get_double("edge", p.edge);
  p.sigma = term.get_double("sigma", p.sigma);
  return make_sift(p);
}

}  // namespace

std::optional<std::string> validate(const SiftParams& p) {
  if (p.max_features < 0) return "max must be >= 0 (0: all keypoints)";
  if (p.layers < 1 || p.layers > 10) return "layers must be in 1..10";
  if (!(p.contrast >= 0) || !(p.edge > 0) || !(p.sigma > 0))
    return "contrast must be >= 0, edge and sigma positive";
  return std::nullopt;
}

std::unique_ptr<DescriptorExtractor> make_sift(const SiftParams& params) {
  throw_if_invalid("sift", params);
  return std::make_unique<SiftDescriptor>(params);
}

RegistryEntry<DescriptorFactory> sift_entry() {
  return {"sift", "SIFT keypoints (Lowe 2004, OpenCV's detector): 128-d, unit L2 norm", sift_param_help(),
          sift_from_term};
}

}  // namespace featpipe::features
