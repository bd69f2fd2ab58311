#pragma once
// Private: a vectorisable atan2, shared by HOG and dense SIFT.
#include <algorithm>
#include <cmath>

namespace featpipe::features {

/// atan2(y, x) in [0, 2 pi] to within 1.2e-5 rad (Abramowitz & Stegun 4.4.47 on one octant). Branch-free, so
/// the row loops that call it vectorise; std::atan2 dominated HOG's and dense SIFT's time. 1.2e-5 rad moves <
/// 1e-4 of a vote between orientations.
inline float fast_atan2(float y, float x) {
  constexpr float kPi = 3.14159265358979f;
  const float ax = std::fabs(x), ay = std::fabs(y);
  const float hi = std::max(ax, ay), lo = std::min(ax, ay);
  const float t = lo / (hi > 0 ? hi : 1.0f), t2 = t * t;
  float a = t * (0.9998660f + t2 * (-0.3302995f + t2 * (0.1801410f + t2 * (-0.0851330f + t2 * 0.0208351f))));
  a = ay > ax ? 0.5f * kPi - a : a;
  a = x < 0 ? kPi - a : a;
  return y < 0 ? 2 * kPi - a : a;
}

}  // namespace featpipe::features
