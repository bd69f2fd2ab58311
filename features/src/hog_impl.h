#pragma once
// Private: the two HOG variants behind make_hog (hog.cpp) and the pixel helpers they share.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "featpipe/features/hog.h"

namespace featpipe::features {

std::unique_ptr<FeatureExtractor> make_uoctti_hog(const HogParams& params);
std::unique_ptr<FeatureExtractor> make_dalal_triggs_hog(const HogParams& params);

/// The canonical spec of a HOG extractor.
std::string hog_spec(const HogParams& params);

/// atan2(y, x) in [0, 2 pi] to within 1e-5 rad (Abramowitz & Stegun 4.4.47 on one octant). About 4x faster
/// than std::atan2, which dominated HOG's time; 1e-5 rad moves a vote between orientations by < 1e-4.
inline float fast_atan2(float y, float x) {
  constexpr float kPi = 3.14159265358979f;
  const float ax = std::fabs(x), ay = std::fabs(y);
  const float hi = ax > ay ? ax : ay, lo = ax > ay ? ay : ax;
  if (hi == 0) return 0;
  const float t = lo / hi, t2 = t * t;
  float a = t * (0.9998660f + t2 * (-0.3302995f + t2 * (0.1801410f + t2 * (-0.0851330f + t2 * 0.0208351f))));
  if (ay > ax) a = 0.5f * kPi - a;
  if (x < 0) a = kPi - a;
  if (y < 0) a = 2 * kPi - a;
  return a;
}

/// Central differences at one pixel of the channel with the largest gradient magnitude. `at` points to the
/// pixel, left/right/up/down are the byte offsets of its neighbours (border handling is the caller's). Ties
/// go to the first channel in `order`, so each variant can follow its reference implementation.
template <int Channels>
inline void strongest_gradient(const uint8_t* at, std::ptrdiff_t left, std::ptrdiff_t right,
                               std::ptrdiff_t up, std::ptrdiff_t down, const int (&order)[3], int& gx,
                               int& gy) {
  if constexpr (Channels == 1) {
    gx = at[right] - at[left];
    gy = at[down] - at[up];
  } else {
    gx = at[order[0] + right] - at[order[0] + left];
    gy = at[order[0] + down] - at[order[0] + up];
    int best = gx * gx + gy * gy;
    for (int k = 1; k < 3; ++k) {
      const int c = order[k];
      const int dx = at[c + right] - at[c + left], dy = at[c + down] - at[c + up];
      const int m = dx * dx + dy * dy;
      if (m > best) {
        best = m;
        gx = dx;
        gy = dy;
      }
    }
  }
}

}  // namespace featpipe::features
