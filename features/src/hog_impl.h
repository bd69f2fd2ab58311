#pragma once
// Private: the two HOG variants behind make_hog (hog.cpp) and the pixel helpers they share.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "fast_math.h"
#include "featpipe/features/hog.h"

namespace featpipe::features {

std::unique_ptr<FeatureExtractor> make_uoctti_hog(const HogParams& params);
std::unique_ptr<FeatureExtractor> make_dalal_triggs_hog(const HogParams& params);

/// The canonical spec of a HOG extractor.
std::string hog_spec(const HogParams& params);

/// Central differences at one pixel of the channel with the largest gradient magnitude; ties go to the first
/// channel. Exact integer arithmetic, so that "largest" does not depend on float rounding. `at` points to the
/// pixel, left/right/up/down are the byte offsets of its neighbours (border handling is the caller's).
template <int Channels>
inline void strongest_gradient(const uint8_t* at, std::ptrdiff_t left, std::ptrdiff_t right,
                               std::ptrdiff_t up, std::ptrdiff_t down, float& gx, float& gy) {
  int bx = at[right] - at[left], by = at[down] - at[up];
  int best = bx * bx + by * by;
  for (int c = 1; c < Channels; ++c) {
    const int dx = at[c + right] - at[c + left], dy = at[c + down] - at[c + up];
    const int m = dx * dx + dy * dy;
    if (m > best) {
      best = m;
      bx = dx;
      by = dy;
    }
  }
  gx = static_cast<float>(bx);
  gy = static_cast<float>(by);
}

/// Gradients of pixels [x_begin, x_end) of image row y (in grey levels), mirrored at the image border without
/// repeating the edge pixel (OpenCV's BORDER_REFLECT_101). The image needs at least 2 rows and columns.
template <int Channels>
void row_gradients(const cv::Mat& image, int y, int x_begin, int x_end, float* gx, float* gy) {
  const std::ptrdiff_t step = image.step;
  const std::ptrdiff_t up = y > 0 ? -step : step, down = y + 1 < image.rows ? step : -step;
  const uint8_t* row = image.ptr<uint8_t>(y);
  auto at_border = [&](int x) {
    const std::ptrdiff_t left = x > 0 ? -Channels : Channels,
                         right = x + 1 < image.cols ? Channels : -Channels;
    strongest_gradient<Channels>(row + x * Channels, left, right, up, down, gx[x - x_begin], gy[x - x_begin]);
  };
  int x = x_begin;
  for (; x < x_end && x < 1; ++x) at_border(x);
  // Fixed neighbour offsets inside, so the compiler can vectorise this loop.
  for (const int end = std::min(x_end, image.cols - 1); x < end; ++x) {
    strongest_gradient<Channels>(row + x * Channels, -Channels, Channels, up, down, gx[x - x_begin],
                                 gy[x - x_begin]);
  }
  for (; x < x_end; ++x) at_border(x);
}

/// One image row of gradients (gx, gy from row_gradients) and their polar form, each padded to a multiple of
/// 16 floats so that polar() runs in whole vector registers, with no scalar tail (which on 28-pixel rows
/// would be nearly half the work). The padding of gx and gy is zero.
struct GradientRows {
  float *gx, *gy, *magnitude, *angle;
  int padded;

  static std::size_t floats(int width) { return 4 * std::size_t(padded_width(width)); }
  static int padded_width(int width) { return (width + 15) / 16 * 16; }

  /// Lays the rows over `storage` (floats(width) floats).
  GradientRows(float* storage, int width) : padded(padded_width(width)) {
    gx = storage;
    gy = gx + padded;
    magnitude = gy + padded;
    angle = magnitude + padded;
    std::fill(gx + width, gx + padded, 0.0f);
    std::fill(gy + width, gy + padded, 0.0f);
  }

  /// magnitude = |(gx, gy)| and angle = fast_atan2(gy, gx). The square roots go through Eigen: std::sqrt
  /// may set errno, which keeps GCC from vectorising a loop that calls it.
  void polar() {
    const Eigen::Map<const Eigen::ArrayXf> x(gx, padded), y(gy, padded);
    Eigen::Map<Eigen::ArrayXf>(magnitude, padded) = (x.square() + y.square()).sqrt();
#pragma omp simd
    for (int i = 0; i < padded; ++i) angle[i] = fast_atan2(gy[i], gx[i]);
  }
};

}  // namespace featpipe::features
