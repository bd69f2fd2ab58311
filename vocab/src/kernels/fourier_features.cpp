#include <algorithm>
#include <cmath>

#include "fourier_kernel.h"

namespace featpipe::vocab::FEATPIPE_ISA {

namespace {

// A tile of kRows rows x kColumns map features is accumulated in registers over the input's values; the
// columns fill the vector registers of the level (16 of AVX-512's 32, 8 of AVX2's 16 for the sums).
constexpr std::size_t kRows = 4;
#if defined(__AVX512F__)
constexpr std::size_t kColumns = 64;
#else
constexpr std::size_t kColumns = 32;
#endif
// Rows whose input stays in the L2 cache while every tile of columns passes over them.
constexpr std::size_t kRowsPerPass = 64;

}  // namespace

void fourier_features(const float* wt, const float* phases, std::size_t input_dim, std::size_t dim,
                      std::size_t padded_dim, float norm, const float* x, std::size_t rows, float* out) {
  static_assert(64 % kColumns == 0, "padded_dim is a multiple of 64");
  for (std::size_t pass = 0; pass < rows; pass += kRowsPerPass) {
    const std::size_t pass_end = std::min(rows, pass + kRowsPerPass);
    for (std::size_t j0 = 0; j0 < dim; j0 += kColumns) {
      const std::size_t columns = std::min(kColumns, dim - j0);
      for (std::size_t r0 = pass; r0 < pass_end; r0 += kRows) {
        const std::size_t live = std::min(kRows, pass_end - r0);
        // Rows past the last repeat it: one code path for every row, their sums discarded.
        const float* in[kRows];
        for (std::size_t r = 0; r < kRows; ++r) in[r] = x + (r0 + std::min(r, live - 1)) * input_dim;
        alignas(64) float sum[kRows][kColumns] = {};
        for (std::size_t k = 0; k < input_dim; ++k) {
          const float* w = wt + k * padded_dim + j0;
          for (std::size_t r = 0; r < kRows; ++r) {
            const float v = in[r][k];
#pragma omp simd
            for (std::size_t j = 0; j < kColumns; ++j) sum[r][j] += v * w[j];
          }
        }
        for (std::size_t r = 0; r < live; ++r) {
          float* z = out + (r0 + r) * dim + j0;
          for (std::size_t j = 0; j < columns; ++j) z[j] = norm * std::cos(sum[r][j] + phases[j0 + j]);
        }
      }
    }
  }
}

}  // namespace featpipe::vocab::FEATPIPE_ISA
