#include "row_kernels.h"

#include <algorithm>

#include "simd_lanes.h"

namespace featpipe::classify::FEATPIPE_ISA {
namespace {

using simd::kFloatsPerLine;
using simd::kLanes;
using simd::Lanes;
using simd::load;
using simd::store;

// Classes are processed in panels of up to kPanel vectors, rows in groups sized so that the accumulators
// of a group fit in registers.
constexpr int64_t kPanel = 4;
// With more classes than two vectors hold, W [D, padded] outgrows the caches (4096 x 1008 floats: 16 MB),
// and a pass of every row group over all of it is bound by memory. The panel path goes through the
// features kChunk at a time instead, so that the chunk of a panel of W (64 KB with AVX-512) stays in cache
// for every row group. Each sum still adds its terms in the order of d: the results are the same bits.
constexpr int64_t kChunk = 256;

/// Features [d0, d1) of R rows x P vectors of one panel starting at column c0, added to the scores (the
/// bias when d0 is 0). next: the R rows of the next group, fetched into cache meanwhile (the rows are
/// scattered in memory, and this pass is the first to touch them), or null.
template <int R, int P>
void forward_panel(const float* const* rows, const float* const* next, int64_t d0, int64_t d1, const float* W,
                   const float* b, int64_t padded, int64_t c0, float* scores) {
  Lanes acc[R][P];
  for (int p = 0; p < P; ++p) {
    const Lanes bias = load(b + c0 + p * kLanes);
    for (int r = 0; r < R; ++r) acc[r][p] = d0 == 0 ? bias : load(scores + r * padded + c0 + p * kLanes);
  }
  for (int64_t d = d0; d < d1; ++d) {
    if (next && d % kFloatsPerLine == 0) {
      for (int r = 0; r < R; ++r) __builtin_prefetch(next[r] + d);
    }
    Lanes w[P];
    for (int p = 0; p < P; ++p) w[p] = load(W + d * padded + c0 + p * kLanes);
    for (int r = 0; r < R; ++r) {
      const float x = rows[r][d];
      for (int p = 0; p < P; ++p) acc[r][p] += x * w[p];
    }
  }
  for (int r = 0; r < R; ++r) {
    for (int p = 0; p < P; ++p) store(scores + r * padded + c0 + p * kLanes, acc[r][p]);
  }
}

/// Adds R rows' share to rows [d0, d1) of dW for one panel.
template <int R, int P>
void backward_panel(const float* const* rows, int64_t d0, int64_t d1, const float* dscores, int64_t padded,
                    float scale, int64_t c0, float* dW) {
  Lanes g[R][P];
  for (int r = 0; r < R; ++r) {
    for (int p = 0; p < P; ++p) g[r][p] = scale * load(dscores + r * padded + c0 + p * kLanes);
  }
  for (int64_t d = d0; d < d1; ++d) {
    float* out = dW + d * padded + c0;
    Lanes a[P];
    for (int p = 0; p < P; ++p) a[p] = load(out + p * kLanes);
    for (int r = 0; r < R; ++r) {
      const float x = rows[r][d];
      for (int p = 0; p < P; ++p) a[p] += x * g[r][p];
    }
    for (int p = 0; p < P; ++p) store(out + p * kLanes, a[p]);
  }
}

/// Rows per group for P vectors per panel: about 16 accumulators, 24 with AVX-512's 32 registers. (A sum
/// over rows adds them in row order whatever the group size.)
template <int P>
constexpr int kRows = P == 1         ? 8
                      : P == 2       ? 6
                      : kLanes == 16 ? 6
                                     : 4;

template <int P>
void forward_rows(const float* const* rows, int64_t n, int64_t d0, int64_t d1, const float* W, const float* b,
                  int64_t padded, int64_t c0, float* scores) {
  constexpr int64_t R = kRows<P>;
  int64_t r = 0;
  for (; r + R <= n; r += R) {
    const float* const* next = c0 == 0 && r + 2 * R <= n ? rows + r + R : nullptr;
    forward_panel<R, P>(rows + r, next, d0, d1, W, b, padded, c0, scores + r * padded);
  }
  for (; r < n; ++r) forward_panel<1, P>(rows + r, nullptr, d0, d1, W, b, padded, c0, scores + r * padded);
}

template <int P>
void backward_rows(const float* const* rows, int64_t n, int64_t d0, int64_t d1, const float* dscores,
                   int64_t padded, float scale, int64_t c0, float* dW) {
  int64_t r = 0;
  for (; r + kRows<P> <= n; r += kRows<P>) {
    backward_panel<kRows<P>, P>(rows + r, d0, d1, dscores + r * padded, padded, scale, c0, dW);
  }
  for (; r < n; ++r) backward_panel<1, P>(rows + r, d0, d1, dscores + r * padded, padded, scale, c0, dW);
}

/// fn(d0, d1, c0) for every chunk [d0, d1) of the features, and within it every panel's first column c0.
template <typename Fn>
void for_each_chunk_and_panel(int64_t dim, int64_t padded, Fn&& fn) {
  for (int64_t d0 = 0; d0 < dim; d0 += kChunk) {
    for (int64_t c0 = 0; c0 < padded; c0 += kPanel * kLanes) fn(d0, std::min(dim, d0 + kChunk), c0);
  }
}

}  // namespace

int64_t padded_classes(int64_t classes) {
  const int64_t vectors = (classes + kLanes - 1) / kLanes;
  const int64_t panel_vectors = vectors <= 2 ? vectors : (vectors + kPanel - 1) / kPanel * kPanel;
  return panel_vectors * kLanes;
}

void rows_forward(const float* const* rows, int64_t n, int64_t dim, const float* W, const float* b,
                  int64_t padded, float* scores) {
  const int64_t vectors = padded / kLanes;
  if (vectors == 1) return forward_rows<1>(rows, n, 0, dim, W, b, padded, 0, scores);
  if (vectors == 2) return forward_rows<2>(rows, n, 0, dim, W, b, padded, 0, scores);
  for_each_chunk_and_panel(dim, padded, [&](int64_t d0, int64_t d1, int64_t c0) {
    forward_rows<kPanel>(rows, n, d0, d1, W, b, padded, c0, scores);
  });
}

void rows_backward(const float* const* rows, int64_t n, int64_t dim, const float* dscores, int64_t padded,
                   float scale, float* dW, float* db) {
  std::fill_n(dW, dim * padded, 0.0f);
  simd::scaled_column_sums(dscores, n, padded, scale, db);
  const int64_t vectors = padded / kLanes;
  if (vectors == 1) return backward_rows<1>(rows, n, 0, dim, dscores, padded, scale, 0, dW);
  if (vectors == 2) return backward_rows<2>(rows, n, 0, dim, dscores, padded, scale, 0, dW);
  for_each_chunk_and_panel(dim, padded, [&](int64_t d0, int64_t d1, int64_t c0) {
    backward_rows<kPanel>(rows, n, d0, d1, dscores, padded, scale, c0, dW);
  });
}

}  // namespace featpipe::classify::FEATPIPE_ISA
