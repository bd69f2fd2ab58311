// Dalal–Triggs HOG with OpenCV's HOGDescriptor conventions (so the two agree; tests/features/hog_test.cpp):
// unsigned orientations interpolated between the two nearest bins, votes interpolated bilinearly between the
// cells of each 2x2-cell block and weighted by a Gaussian window over the block, L2-Hys per block. One
// difference on purpose: our window is centred on the block; OpenCV's sits half a pixel up-left, which would
// make the descriptor of a mirrored image differ from the mirrored descriptor.
#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "hog_impl.h"
#include "scratch.h"

namespace featpipe::features {
namespace {

/// A pixel's gradient split between two orientation bins.
struct OrientationVote {
  float w0 = 0, w1 = 0;
  int bin0 = 0, bin1 = 0;
};

struct DalalTriggsVotesTag;

class DalalTriggsHog final : public FeatureExtractor {
 public:
  explicit DalalTriggsHog(const HogParams& p) : p_(p) {
    const int side = 2 * p_.cell;
    const double sigma = p_.block_sigma < 0 ? side / 4.0 : p_.block_sigma;
    // Per cell of the block, the weight of the cell row (or column) at each pixel row (or column).
    std::vector<std::array<float, 2>> along(side);
    for (int i = 0; i < side; ++i) {
      const float pos = (i + 0.5f) / p_.cell - 0.5f;
      const int c0 = static_cast<int>(std::floor(pos));
      const float f = pos - c0;
      along[i] = {0.0f, 0.0f};
      if (c0 >= 0) along[i][c0] += 1.0f - f;
      if (c0 + 1 <= 1) along[i][c0 + 1] += f;
    }
    block_weights_.resize(std::size_t(side) * side);
    for (int i = 0; i < side; ++i) {
      for (int j = 0; j < side; ++j) {
        const double di = i + 0.5 - p_.cell, dj = j + 0.5 - p_.cell;
        const float window =
            sigma > 0 ? static_cast<float>(std::exp(-(di * di + dj * dj) / (2 * sigma * sigma))) : 1.0f;
        auto& w = block_weights_[i * side + j];
        for (int cy = 0; cy < 2; ++cy) {
          for (int cx = 0; cx < 2; ++cx) w[cy * 2 + cx] = window * along[i][cy] * along[j][cx];
        }
      }
    }
  }

  std::string spec() const override { return hog_spec(p_); }

  std::size_t dim(cv::Size size, int) const override {
    const cv::Size cells = grid(size);
    return std::size_t(cells.width - 1) * (cells.height - 1) * 4 * p_.bins;
  }

  void extract(const cv::Mat& image, float* out) const override {
    check_image(image, "hog");
    const cv::Size cells = grid(image.size());
    const cv::Rect region((image.cols - cells.width * p_.cell) / 2, (image.rows - cells.height * p_.cell) / 2,
                          cells.width * p_.cell, cells.height * p_.cell);
    OrientationVote* votes = thread_scratch<OrientationVote, DalalTriggsVotesTag>(region.area());
    if (image.channels() == 1) {
      orientation_votes<1>(image, region, votes);
    } else {
      orientation_votes<3>(image, region, votes);
    }
    const int side = 2 * p_.cell, n = p_.bins;
    const std::size_t block_dim = 4 * std::size_t(n);
    for (int by = 0; by + 1 < cells.height; ++by) {
      for (int bx = 0; bx + 1 < cells.width; ++bx) {
        float* hist = out + (std::size_t(by) * (cells.width - 1) + bx) * block_dim;
        std::fill(hist, hist + block_dim, 0.0f);
        for (int i = 0; i < side; ++i) {
          const OrientationVote* v = votes + std::size_t(by * p_.cell + i) * region.width + bx * p_.cell;
          const std::array<float, 4>* w = block_weights_.data() + i * side;
          for (int j = 0; j < side; ++j) {
            for (int c = 0; c < 4; ++c) {
              hist[c * n + v[j].bin0] += v[j].w0 * w[j][c];
              hist[c * n + v[j].bin1] += v[j].w1 * w[j][c];
            }
          }
        }
        l2_hys(hist, block_dim);
      }
    }
  }

 private:
  cv::Size grid(cv::Size size) const {
    const cv::Size cells(size.width / p_.cell, size.height / p_.cell);
    if (cells.width < 2 || cells.height < 2) {
      const std::string side = std::to_string(2 * p_.cell);
      throw std::invalid_argument(
          hog_spec(p_) + ": image " + std::to_string(size.width) + "x" + std::to_string(size.height) +
          " is too small for one 2x2-cell block; needs at least " + side + "x" + side + " pixels");
    }
    return cells;
  }

  /// Votes of the pixels of `region`, row-major. Gradients use the whole image, mirrored at its border
  /// without repeating the edge pixel (OpenCV's BORDER_REFLECT_101).
  template <int Channels>
  void orientation_votes(const cv::Mat& image, cv::Rect region, OrientationVote* votes) const {
    const int n = p_.bins;
    const float bins_per_radian = n / 3.14159265358979f;
    const int order[3] = {2, 1, 0};  // HOGDescriptor keeps the last channel on ties
    const std::ptrdiff_t step = image.step;
    for (int y = region.y; y < region.br().y; ++y) {
      const std::ptrdiff_t up = y > 0 ? -step : step, down = y + 1 < image.rows ? step : -step;
      const uint8_t* row = image.ptr<uint8_t>(y);
      for (int x = region.x; x < region.br().x; ++x, ++votes) {
        const std::ptrdiff_t left = x > 0 ? -Channels : Channels,
                             right = x + 1 < image.cols ? Channels : -Channels;
        int gx, gy;
        strongest_gradient<Channels>(row + x * Channels, left, right, up, down, order, gx, gy);
        const float fx = static_cast<float>(gx), fy = static_cast<float>(gy);
        const float magnitude = std::sqrt(fx * fx + fy * fy);
        // Bin centres at (k + 1/2) pi / n; an angle in [pi, 2 pi) is the same orientation as angle - pi.
        const float pos = fast_atan2(fy, fx) * bins_per_radian - 0.5f;
        int bin = static_cast<int>(std::floor(pos));
        const float f = pos - bin;
        while (bin < 0) bin += n;
        while (bin >= n) bin -= n;
        *votes = {magnitude * (1.0f - f), magnitude * f, bin, bin + 1 == n ? 0 : bin + 1};
      }
    }
  }

  /// L2 normalisation, clipping, renormalisation; the epsilons are HOGDescriptor's.
  void l2_hys(float* hist, std::size_t size) const {
    float sum = 0;
    for (std::size_t i = 0; i < size; ++i) sum += hist[i] * hist[i];
    float scale = 1.0f / (std::sqrt(sum) + 0.1f * size);
    const float clip = static_cast<float>(p_.clip);
    sum = 0;
    for (std::size_t i = 0; i < size; ++i) {
      hist[i] = std::min(hist[i] * scale, clip);
      sum += hist[i] * hist[i];
    }
    scale = 1.0f / (std::sqrt(sum) + 1e-3f);
    for (std::size_t i = 0; i < size; ++i) hist[i] *= scale;
  }

  HogParams p_;
  std::vector<std::array<float, 4>>
      block_weights_;  // per pixel of a block: window x bilinear weight per cell
};

}  // namespace

std::unique_ptr<FeatureExtractor> make_dalal_triggs_hog(const HogParams& params) {
  return std::make_unique<DalalTriggsHog>(params);
}

}  // namespace featpipe::features
