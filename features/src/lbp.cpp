// Our own LBP rather than a vl_lbp wrapper: it compares 8-bit pixels directly where vl_lbp needs a float copy
// of the image, computes each column's cell weights once per image and vectorises the square roots; it agrees
// with vl_lbp (tests/features/lbp_test.cpp) and is faster (docs/performance.md).
#include "featpipe/features/lbp.h"

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "featpipe/core/scratch.h"
#include "term_factories.h"
#include "term_params.h"

namespace featpipe::features {
namespace {

constexpr int kPatterns = 58;
constexpr int kPaddedPatterns = 64;  // whole AVX-512 registers

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

/// The two cells a pixel row (or column) votes for, bilinearly: `first` (may be -1) and first + 1.
struct CellWeights {
  int first = 0;
  float w1 = 0, w2 = 0;
};

CellWeights cell_weights(int i, float cell) {
  const float h = (i + 0.5f) / cell - 0.5f;
  const int first = static_cast<int>(std::floor(h));
  const float w2 = h - first;
  return {first, 1.0f - w2, w2};
}

struct LbpGreyTag;
struct LbpColumnsTag;

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
    // Each column's cell and bilinear weights, once per image. Divisions, not a multiplication by 1 / cell:
    // 1 / 5 is inexact, and the square roots below would turn a 1e-8 rounding residue of a weight into 1e-4
    // of a value.
    const float cell = static_cast<float>(p_.cell);
    CellWeights* columns = thread_scratch<CellWeights, LbpColumnsTag>(grey.cols);
    for (int x = 1; x < grey.cols - 1; ++x) columns[x] = cell_weights(x, cell);
    const std::ptrdiff_t step = grey.step;
    const std::ptrdiff_t down = std::ptrdiff_t(cells.width) * kPatterns;
    for (int y = 1; y < grey.rows - 1; ++y) {
      const CellWeights row = cell_weights(y, cell);
      if (row.first >= cells.height) continue;
      const bool top = row.first >= 0, bottom = row.first + 1 < cells.height;
      const uint8_t* p = grey.ptr<uint8_t>(y) + 1;
      for (int x = 1; x < grey.cols - 1; ++x, ++p) {
        const CellWeights& col = columns[x];
        if (col.first >= cells.width) continue;
        const uint8_t c = *p;
        const unsigned bits = (p[1] > c) | (p[step + 1] > c) << 1 | (p[step] > c) << 2 |
                              (p[step - 1] > c) << 3 | (p[-1] > c) << 4 | (p[-step - 1] > c) << 5 |
                              (p[-step] > c) << 6 | (p[-step + 1] > c) << 7;
        const int bin = kUniformBin[bits];
        const bool left = col.first >= 0, right = col.first + 1 < cells.width;
        // Index arithmetic, not pointers: the up-left cell may be outside the grid (index -1).
        const std::ptrdiff_t h = (std::ptrdiff_t(row.first) * cells.width + col.first) * kPatterns + bin;
        if (top && left) out[h] += col.w1 * row.w1;
        if (top && right) out[h + kPatterns] += col.w2 * row.w1;
        if (bottom && left) out[h + down] += col.w1 * row.w2;
        if (bottom && right) out[h + down + kPatterns] += col.w2 * row.w2;
      }
    }
    // h -> sqrt(h) / sqrt(sum h). The square roots through Eigen, which vectorises them (std::sqrt's errno
    // prevents it), in an aligned local copy padded to whole registers: on `out` directly, Eigen's path (and
    // so the last bit) would depend on where `out` is aligned.
    alignas(64) std::array<float, kPaddedPatterns> hist{};
    for (float* h = out; h != out + width; h += kPatterns) {
      std::copy_n(h, kPatterns, hist.begin());
      float sum = 0;
      for (int k = 0; k < kPatterns; ++k) sum += hist[k];
      Eigen::Map<Eigen::Array<float, kPaddedPatterns, 1>, Eigen::Aligned64> v(hist.data());
      v = v.sqrt() / (std::sqrt(sum) + 1e-10f);
      std::copy_n(hist.begin(), kPatterns, h);
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
  throw_if_invalid("lbp", params);
  return std::make_unique<LbpExtractor>(params);
}

namespace {

std::vector<ParamHelp> lbp_param_help() {
  return {{"cell", std::to_string(LbpParams{}.cell), "cell side in pixels"}};
}

std::unique_ptr<FeatureExtractor> lbp_from_term(const SpecTerm& term) {
  term.check_keys(param_keys(lbp_param_help()));
  LbpParams p;
  p.cell = term.get_int("cell", p.cell);
  return make_lbp(p);
}

}  // namespace

RegistryEntry<ExtractorFactory> lbp_entry() {
  return {"lbp", "local binary patterns: per-cell histograms of uniform 3x3 patterns", lbp_param_help(),
          lbp_from_term};
}

}  // namespace featpipe::features
