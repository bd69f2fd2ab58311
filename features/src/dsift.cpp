// The flat-window (fast) mode is our own (dsift_flat.cpp); the Gaussian-window mode is VLFeat's vl_dsift.
#include "featpipe/features/dsift.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "descriptor_factories.h"
#include "dsift_flat.h"
#include "featpipe/features/extractor.h"
#include "featpipe/features/spatial_pyramid.h"
#include "term_params.h"
#include "vlfeat.h"

namespace featpipe::features {
namespace {

constexpr int kSiftDim = 128;

/// One vl_dsift filter per image geometry and thread, kept for the next image of the same size: the filter
/// owns buffers as large as the image.
VlDsiftFilter* thread_filter(const DsiftGeometry& geometry) {
  struct Entry {
    DsiftGeometry geometry;
    DsiftFilter filter;
  };
  thread_local std::vector<Entry> cache;
  for (Entry& e : cache) {
    if (e.geometry == geometry) return e.filter.get();
  }
  if (cache.size() >= 8) cache.erase(cache.begin());
  cache.push_back({geometry, make_dsift_filter(geometry)});
  return cache.back().filter.get();
}

class DenseSift final : public DescriptorExtractor {
 public:
  explicit DenseSift(DsiftParams p)
      : p_(std::move(p)), largest_(*std::max_element(p_.sizes.begin(), p_.sizes.end())) {}

  std::string spec() const override {
    SpecTerm t{"dsift", {}};
    t.params["step"] = std::to_string(p_.step);
    t.params["size"] = format_int_list(p_.sizes);
    t.params["fast"] = p_.fast ? "1" : "0";
    t.params["magnif"] = format_number(p_.magnif);
    t.params["contrast"] = format_number(p_.contrast);
    return t.canonical();
  }

  std::size_t dim(int) const override { return kSiftDim; }

  void extract(const cv::Mat& image, LocalFeatures& out) const override {
    check_image(image, "dsift");
    const int side = 3 * largest_ + 1;  // what the largest size needs; smaller ones fit inside it
    if (image.cols < side || image.rows < side) {
      throw std::invalid_argument(
          spec() + ": image " + std::to_string(image.cols) + "x" + std::to_string(image.rows) +
          " is too small for a descriptor of 4 bins of " + std::to_string(largest_) +
          " pixels; needs at least " + std::to_string(side) + "x" + std::to_string(side) + " pixels");
    }
    thread_local cv::Mat grey, unit, smoothed;  // reused: create() keeps the buffers for same-size images
    if (image.channels() == 3) {
      cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    } else {
      grey = image;
    }
    grey.convertTo(unit, CV_32F, 1.0 / 255.0);
    out.frames.clear();
    out.descriptors.clear();
    for (int size : p_.sizes) {
      // The largest size's descriptors start at the corner; smaller ones are shifted to share its centres.
      const int offset = (3 * (largest_ - size)) / 2;
      const double sigma = p_.magnif > 0 ? size / p_.magnif : 0.0;
      const cv::Mat* input = &unit;
      if (sigma > 0.5) {
        // vl_phow's smoothing: the image is taken to have sigma 0.5 already.
        cv::GaussianBlur(unit, smoothed, cv::Size(), std::sqrt(sigma * sigma - 0.25), 0,
                         cv::BORDER_REPLICATE);
        input = &smoothed;
      }
      if (p_.fast) {
        flat_dense_sift(*input, {p_.step, size, offset, static_cast<float>(p_.contrast)}, out);
      } else {
        gaussian_window(*input, size, offset, out);
      }
    }
  }

 private:
  /// vl_dsift with its Gaussian spatial window (the reference our flat-window version approximates).
  void gaussian_window(const cv::Mat& input, int size, int offset, LocalFeatures& out) const {
    VlDsiftFilter* filter = thread_filter({input.size(), p_.step, size, offset, false});
    dsift_process(filter, input);
    const int n = vl_dsift_get_keypoint_num(filter);
    const VlDsiftKeypoint* keypoints = vl_dsift_get_keypoints(filter);
    const float* descriptors = vl_dsift_get_descriptors(filter);
    for (int i = 0; i < n; ++i) {
      out.frames.push_back(
          {static_cast<float>(keypoints[i].x), static_cast<float>(keypoints[i].y), size / 3.0f, 0.0f});
      const float* d = descriptors + std::size_t(i) * kSiftDim;
      if (keypoints[i].norm < p_.contrast) {
        out.descriptors.insert(out.descriptors.end(), kSiftDim, 0.0f);
      } else {
        out.descriptors.insert(out.descriptors.end(), d, d + kSiftDim);
      }
    }
  }

 private:
  DsiftParams p_;
  int largest_;
};

std::vector<ParamHelp> dsift_param_help() {
  const DsiftParams d;
  return {
      {"step", std::to_string(d.step), "pixels between frame centres"},
      {"size", format_int_list(d.sizes), "bin sizes in pixels joined by ':', e.g. 4:6:8"},
      {"fast", format_flag(d.fast), "1: flat spatial window; 0: vl_dsift's Gaussian one"},
      {"magnif", format_number(d.magnif), "each size smooths the image by sigma = size / magnif (0: none)"},
      {"contrast", format_number(d.contrast), "patches with a smaller gradient norm give zero descriptors"}};
}

std::unique_ptr<DescriptorExtractor> dsift_from_term(const SpecTerm& term) {
  term.check_keys(param_keys(dsift_param_help()));
  DsiftParams p;
  p.step = term.get_int("step", p.step);
  if (term.params.count("size")) {
    try {
      p.sizes = parse_int_list(term.params.at("size"));
    } catch (const std::invalid_argument&) {
      throw std::invalid_argument("dsift: size=" + term.params.at("size") +
                                  " is not bin sizes joined by ':' (e.g. size=4:6:8)");
    }
  }
  p.fast = term.get_bool("fast", p.fast);
  p.magnif = term.get_double("magnif", p.magnif);
  p.contrast = term.get_double("contrast", p.contrast);
  return make_dsift(p);
}

}  // namespace

std::optional<std::string> validate(const DsiftParams& p) {
  if (p.step < 1 || p.step > 256) return "step must be in 1..256 pixels";
  if (p.sizes.empty()) return "needs at least one size";
  for (int s : p.sizes) {
    if (s < 1 || s > 256) return "sizes must be in 1..256 pixels";
  }
  std::vector<int> sorted = p.sizes;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return "sizes must differ";
  if (!(p.magnif >= 0)) return "magnif must be >= 0 (0: no smoothing)";
  if (!(p.contrast >= 0)) return "contrast must be >= 0";
  return std::nullopt;
}

std::unique_ptr<DescriptorExtractor> make_dsift(const DsiftParams& params) {
  throw_if_invalid("dsift", params);
  DsiftParams sorted = params;
  // spec() and the frame order follow the sizes in increasing order, whatever order they were given in.
  std::sort(sorted.sizes.begin(), sorted.sizes.end());
  return std::make_unique<DenseSift>(std::move(sorted));
}

RegistryEntry<DescriptorFactory> dsift_entry() {
  return {"dsift", "dense SIFT on a grid, PHOW-style with several bin sizes: 128-d, unit L2 norm",
          dsift_param_help(), dsift_from_term};
}

}  // namespace featpipe::features
