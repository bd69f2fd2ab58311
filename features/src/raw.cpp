#include "featpipe/features/raw.h"

#include <cstdio>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "featpipe/data/image_file.h"
#include "term_factories.h"
#include "term_params.h"

namespace featpipe::features {
namespace {

std::string format_size(cv::Size size) {
  return size.empty() ? "" : std::to_string(size.width) + "x" + std::to_string(size.height);
}

class RawExtractor final : public FeatureExtractor {
 public:
  explicit RawExtractor(RawParams p) : p_(p) {}

  std::string spec() const override {
    SpecTerm t{"raw", {}};
    if (p_.gray) t.params["gray"] = "1";
    if (!p_.size.empty()) t.params["size"] = format_size(p_.size);
    return t.canonical();
  }

  std::size_t dim(cv::Size size, int channels) const override {
    const cv::Size s = p_.size.empty() ? size : p_.size;
    if (s.empty()) throw std::invalid_argument("raw: empty image size");
    return std::size_t(s.area()) * (p_.gray ? 1 : channels);
  }

  void extract(const cv::Mat& image, float* out) const override {
    check_image(image, "raw");
    cv::Mat src = image;
    if (p_.gray && src.channels() == 3) cv::cvtColor(src, src, cv::COLOR_BGR2GRAY);
    if (!p_.size.empty() && src.size() != p_.size) cv::resize(src, src, p_.size, 0, 0, cv::INTER_AREA);
    const int row_len = src.cols * src.channels();
    for (int y = 0; y < src.rows; ++y) {
      const uint8_t* row = src.ptr<uint8_t>(y);
      for (int x = 0; x < row_len; ++x) *out++ = row[x] * (1.0f / 255.0f);
    }
  }

 private:
  RawParams p_;
};

cv::Size parse_size(const std::string& text) {
  int w = 0, h = 0;
  char x = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || x != 'x' || w <= 0 || h <= 0) {
    throw std::invalid_argument("raw: size=" + text + " is not WxH with positive integers (e.g. size=28x28)");
  }
  return {w, h};
}

std::vector<ParamHelp> raw_param_help() {
  const RawParams d;
  return {{"gray", format_flag(d.gray), "1: convert colour images to one luminance channel"},
          {"size", format_size(d.size), "resize to WxH first (INTER_AREA); empty keeps the image size"}};
}

std::unique_ptr<FeatureExtractor> raw_from_term(const SpecTerm& term) {
  term.check_keys(param_keys(raw_param_help()));
  RawParams p;
  p.gray = term.get_bool("gray", p.gray);
  if (term.params.count("size")) p.size = parse_size(term.params.at("size"));
  return make_raw(p);
}

}  // namespace

std::optional<std::string> validate(const RawParams& p) {
  const bool keep = p.size.width == 0 && p.size.height == 0;
  if (!keep && (p.size.width <= 0 || p.size.height <= 0)) {
    return "size must be WxH with positive integers, or 0x0 to keep the image size";
  }
  if (uint64_t(p.size.width) * uint64_t(p.size.height) > data::kMaxImagePixels) {
    return "size " + std::to_string(p.size.width) + "x" + std::to_string(p.size.height) +
           " is more than the " + std::to_string(data::kMaxImagePixels >> 20) +
           " Mi pixels an image may have";
  }
  return std::nullopt;
}

std::unique_ptr<FeatureExtractor> make_raw(const RawParams& params) {
  throw_if_invalid("raw", params);
  return std::make_unique<RawExtractor>(params);
}

RegistryEntry<ExtractorFactory> raw_entry() {
  return {"raw", "pixels / 255, row-major H x W x C: the baseline", raw_param_help(), raw_from_term};
}

}  // namespace featpipe::features
