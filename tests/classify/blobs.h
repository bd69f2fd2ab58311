#pragma once
// Test data for the trainer: separable Gaussian blobs, as floats or as 8-bit pixel values.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "featpipe/classify/row_source.h"
#include "featpipe/core/matrix.h"
#include "featpipe/core/random.h"

namespace featpipe::classify {

/// Gaussian blobs around well-separated class centres (separable with a wide margin), in a row-major
/// matrix with a shift and scale per dimension that standardisation must undo.
struct Blobs {
  RowMatrix<float> x;
  std::vector<int32_t> y;
  MatrixSource source() const { return MatrixSource(x.data(), x.rows(), x.cols()); }
};

/// n rows of dim values value(in_class, d, normal) for row i of class i % classes, where in_class says
/// whether dimension d belongs to the row's class and normal() draws from N(0, 1).
template <typename Value>
Blobs make_blobs_of(int n, int dim, int classes, uint64_t seed, Value&& value) {
  random::Generator rng(seed, random::Stream::test);
  const auto normal = [&] { return static_cast<float>(rng.normal()); };
  Blobs b{RowMatrix<float>(n, dim), std::vector<int32_t>(n)};
  for (int i = 0; i < n; ++i) {
    b.y[i] = i % classes;
    for (int d = 0; d < dim; ++d) b.x(i, d) = value(d % classes == b.y[i], d, normal);
  }
  return b;
}

inline Blobs make_blobs(int n, int dim, int classes, double spread, uint64_t seed) {
  return make_blobs_of(n, dim, classes, seed, [&](bool in_class, int, const auto& normal) {
    const float centre = in_class ? 4.0f : 0.0f;
    return 100.0f + 10.0f * (centre + static_cast<float>(spread) * normal());
  });
}

/// Pixel-like rows k * (1 / 255), k in [0, 255], blobs around class-dependent means, and a constant
/// column (an image border): rows that training holds as bytes.
inline Blobs make_pixel_blobs(int n, int dim, int classes, uint64_t seed) {
  return make_blobs_of(n, dim, classes, seed, [](bool in_class, int d, const auto& normal) {
    const float centre = in_class ? 160.0f : 90.0f;
    const float k = d == 0 ? 0.0f : std::clamp(std::round(centre + 50.0f * normal()), 0.0f, 255.0f);
    return k * (1.0f / 255.0f);
  });
}

}  // namespace featpipe::classify
