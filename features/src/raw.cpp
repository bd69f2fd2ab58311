// raw pixels: the baseline every engineered feature is compared against.
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "term_factories.h"

namespace featpipe::features {
namespace {

struct RawParams {
  bool gray = false;  // convert colour images to one luminance channel
  cv::Size size;      // resize to this first (INTER_AREA); empty keeps the image size
};

/// dim() == W * H * C of the (resized) image; values are pixel / 255 in row-major H x W x C order.
class RawExtractor final : public FeatureExtractor {
 public:
  explicit RawExtractor(RawParams p) : p_(p) {}

  std::string spec() const override {
    SpecTerm t{"raw", {}};
    if (p_.gray) t.params["gray"] = "1";
    if (!p_.size.empty())
      t.params["size"] = std::to_string(p_.size.width) + "x" + std::to_string(p_.size.height);
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

}  // namespace

std::unique_ptr<FeatureExtractor> make_raw(const SpecTerm& term) {
  term.check_keys({"gray", "size"});
  RawParams p;
  p.gray = term.get_bool("gray", false);
  if (term.params.count("size")) p.size = parse_size(term.params.at("size"));
  return std::make_unique<RawExtractor>(p);
}

}  // namespace featpipe::features
