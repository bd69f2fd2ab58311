// Our own LBP rather than a vl_lbp wrapper: it compares 8-bit pixels directly where vl_lbp needs a float copy
// of the image, and it agrees with vl_lbp exactly (tests/features/lbp_test.cpp).
#include "featpipe/features/lbp.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "scratch.h"
#include "term_factories.h"

namespace featpipe::features {
namespace {

constexpr int kPatterns = 58;

/// Bin of each 8-bit pattern (bit 0: east neighbour, then clockwise), as vl_lbp's uniform mapping.
std::array<uint8_t, 256> uniform_mapping() {
  std::array<uint8_t, 256> bin;
  bin.fill(57);
  bin[0x00] = bin[0xff] = 56;
  for (int start = 0; start < 8; ++start) {
    for (int run = 1; run <= 7; ++run) {
      unsigned bits = ((1u << run) - 1) << start;
      bits = (bits | (bits >> 8)) & 0xff;
      bin[bits] = static_cast<uint8_t>(start * 7 + run - 1);
    }
  }
  return bin;
}

const std::array<uint8_t, 256> kUniformBin = uniform_mapping();

struct LbpGreyTag;

class LbpExtractor final : public FeatureExtractor {
 public:
  explicit LbpExtractor(const LbpParams& p) : p_(p) {}

  std::string spec() const override {
    return SpecTerm{"lbp", {{"cell", std::to_string(p_.cell)}}}.canonical();
  }

  std::size_t dim(cv::Size size, int) const override {
    const cv::Size cells = grid(size);
    return std::size_t(cells.area()) * kPatterns;
  }

  void extract(const cv::Mat& image, float* out) const override {
    check_image(image, "lbp");
    const cv::Size cells = grid(image.size());
    cv::Mat grey = image;
    if (image.channels() == 3) {
      // A per-thread header over scratch pixels, so cvtColor writes in place instead of allocating.
      grey = cv::Mat(image.size(), CV_8UC1, thread_scratch<uint8_t, LbpGreyTag>(image.total()));
      cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    }
    const std::size_t width = std::size_t(cells.area()) * kPatterns;
    std::fill(out, out + width, 0.0f);
    // Divisions, not a multiplication by 1 / cell: 1 / 5 is inexact, and the square roots below would turn
    // a 1e-8 rounding residue of a weight into 1e-4 of a value.
    const float cell = static_cast<float>(p_.cell);
    const std::ptrdiff_t step = grey.step;
    for (int y = 1; y < grey.rows - 1; ++y) {
      const float hy = (y + 0.5f) / cell - 0.5f;
      const int cy1 = static_cast<int>(std::floor(hy));
      if (cy1 >= cells.height) continue;
      const float wy2 = hy - cy1, wy1 = 1.0f - wy2;
      const uint8_t* p = grey.ptr<uint8_t>(y) + 1;
      for (int x = 1; x < grey.cols - 1; ++x, ++p) {
        const float hx = (x + 0.5f) / cell - 0.5f;
        const int cx1 = static_cast<int>(std::floor(hx));
        if (cx1 >= cells.width) continue;
        const float wx2 = hx - cx1, wx1 = 1.0f - wx2;
        const uint8_t c = *p;
        const unsigned bits = (p[1] > c) | (p[step + 1] > c) << 1 | (p[step] > c) << 2 |
                              (p[step - 1] > c) << 3 | (p[-1] > c) << 4 | (p[-step - 1] > c) << 5 |
                              (p[-step] > c) << 6 | (p[-step + 1] > c) << 7;
        const int bin = kUniformBin[bits];
        const bool left = cx1 >= 0, right = cx1 + 1 < cells.width;
        const bool top = cy1 >= 0, bottom = cy1 + 1 < cells.height;
        // Index arithmetic, not pointers: the up-left cell may be outside the grid (index -1).
        const std::ptrdiff_t h = (std::ptrdiff_t(cy1) * cells.width + cx1) * kPatterns + bin;
        const std::ptrdiff_t down = std::ptrdiff_t(cells.width) * kPatterns;
        if (top && left) out[h] += wx1 * wy1;
        if (top && right) out[h + kPatterns] += wx2 * wy1;
        if (bottom && left) out[h + down] += wx1 * wy2;
        if (bottom && right) out[h + down + kPatterns] += wx2 * wy2;
      }
    }
    for (float* h = out; h != out + width; h += kPatterns) {
      float sum = 0;
      for (int k = 0; k < kPatterns; ++k) sum += h[k];
      const float norm = std::sqrt(sum) + 1e-10f;
      for (int k = 0; k < kPatterns; ++k) h[k] = std::sqrt(h[k]) / norm;
    }
  }

 private:
  cv::Size grid(cv::Size size) const {
    const cv::Size cells(size.width / p_.cell, size.height / p_.cell);
    if (cells.width < 1 || cells.height < 1 || size.width < 3 || size.height < 3) {
      const std::string side = std::to_string(std::max(3, p_.cell));
      throw std::invalid_argument(spec() + ": image " + std::to_string(size.width) + "x" +
                                  std::to_string(size.height) + " is too small; needs at least " + side +
                                  "x" + side + " pixels");
    }
    return cells;
  }

  LbpParams p_;
};

}  // namespace

std::optional<std::string> validate(const LbpParams& p) {
  if (p.cell < 1 || p.cell > 256) return "cell=" + std::to_string(p.cell) + " must be in 1..256 pixels";
  return std::nullopt;
}

std::unique_ptr<FeatureExtractor> make_lbp(const LbpParams& params) {
  if (auto error = validate(params)) throw std::invalid_argument("lbp: " + *error);
  return std::make_unique<LbpExtractor>(params);
}

std::unique_ptr<FeatureExtractor> make_lbp(const SpecTerm& term) {
  term.check_keys({"cell"});
  LbpParams p;
  p.cell = term.get_int("cell", p.cell);
  return make_lbp(p);
}

}  // namespace featpipe::features
