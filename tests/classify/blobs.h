#pragma once
// Test data for the trainer: separable Gaussian blobs, as floats or as 8-bit pixel values.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "featpipe/classify/matrix.h"
#include "featpipe/classify/row_source.h"

namespace featpipe::classify {

/// Gaussian blobs around well-separated class centres (separable with a wide margin), in a row-major
/// matrix with a shift and scale per dimension that standardisation must undo.
struct Blobs {
  RowMatrix<float> x;
  std::vector<int32_t> y;
  MatrixSource source() const { return MatrixSource(x.data(), x.rows(), x.cols()); }
};

inline Blobs make_blobs(int n, int dim, int classes, double spread, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  Blobs b{RowMatrix<float>(n, dim), std::vector<int32_t>(n)};
  for (int i = 0; i < n; ++i) {
    b.y[i] = i % classes;
    for (int d = 0; d < dim; ++d) {
      const float centre = (d % classes == b.y[i]) ? 4.0f : 0.0f;
      b.x(i, d) = 100.0f + 10.0f * (centre + static_cast<float>(spread) * normal(rng));
    }
  }
  return b;
}

/// Pixel-like rows k * (1 / 255), k in [0, 255], blobs around class-dependent means, and a constant
/// column (an image border): rows that training holds as bytes.
inline Blobs make_pixel_blobs(int n, int dim, int classes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  Blobs b{RowMatrix<float>(n, dim), std::vector<int32_t>(n)};
  for (int i = 0; i < n; ++i) {
    b.y[i] = i % classes;
    for (int d = 0; d < dim; ++d) {
      const float centre = d % classes == b.y[i] ? 160.0f : 90.0f;
      const float k = d == 0 ? 0.0f : std::clamp(std::round(centre + 50.0f * normal(rng)), 0.0f, 255.0f);
      b.x(i, d) = k * (1.0f / 255.0f);
    }
  }
  return b;
}

}  // namespace featpipe::classify
