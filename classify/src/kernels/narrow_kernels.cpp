#include "narrow_kernels.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <utility>

#include "simd_lanes.h"

namespace featpipe::classify::FEATPIPE_ISA {
namespace {

using simd::kLanes;
using simd::Lanes;
using simd::load;
using simd::store;

typedef int32_t LaneIndex __attribute__((vector_size(kLanes * sizeof(int32_t))));

struct Halves {
  LaneIndex lo, hi;
};

/// Shuffles for one level of the lane-sum tree. Each input vector holds kLanes / S sources with S
/// partial sums each; the output holds the sources of a, then those of b, with S / 2 partial sums each.
Halves halves(int64_t S) {
  Halves h;
  const int64_t half = S / 2, groups_in_a = kLanes / S;
  for (int64_t j = 0; j < kLanes; ++j) {
    const int64_t g = j / half, p = j % half;
    const int64_t base = g < groups_in_a ? g * S : kLanes + (g - groups_in_a) * S;
    h.lo[j] = static_cast<int32_t>(base + p);
    h.hi[j] = static_cast<int32_t>(base + half + p);
  }
  return h;
}

#if defined(__clang__)
/// Lane i of a then b at index[i]: GCC's two-vector __builtin_shuffle, which clang (the fuzz build) lacks.
Lanes shuffle(Lanes a, Lanes b, LaneIndex index) {
  Lanes out;
  for (int64_t j = 0; j < kLanes; ++j) out[j] = index[j] < kLanes ? a[index[j]] : b[index[j] - kLanes];
  return out;
}
#else
Lanes shuffle(Lanes a, Lanes b, LaneIndex index) { return __builtin_shuffle(a, b, index); }
#endif

template <int64_t S>
Lanes combine(Lanes a, Lanes b) {
  static const Halves h = halves(S);
  return shuffle(a, b, h.lo) + shuffle(a, b, h.hi);
}

/// v[0..S) -> v[0] whose lane i is the sum of the lanes of the original v[i].
template <int64_t S>
void sum_tree(Lanes* v) {
  for (int64_t i = 0; i < S / 2; ++i) v[i] = combine<S>(v[2 * i], v[2 * i + 1]);
  if constexpr (S > 2) sum_tree<S / 2>(v);
}

/// out[c] = sum of the lanes of acc[c], for c in [0, K).
template <int K>
void sum_lanes(const Lanes* acc, float* out) {
  for (int c0 = 0; c0 < K; c0 += kLanes) {
    Lanes v[kLanes];
    const int count = std::min<int>(kLanes, K - c0);
    for (int i = 0; i < kLanes; ++i) v[i] = i < count ? acc[c0 + i] : Lanes{};
    sum_tree<kLanes>(v);
    for (int i = 0; i < count; ++i) out[c0 + i] = v[0][i];
  }
}

/// Scores of R rows of T (float, or uint8_t codes); next: R rows of a later group, fetched meanwhile, or
/// null.
template <int K, int R, typename T>
void forward_group(const T* const* rows, const T* const* next, int64_t dim, const float* Wt, const float* b,
                   float* scores) {
  Lanes acc[R][K] = {};
  int64_t d = 0;
  for (; d + kLanes <= dim; d += kLanes) {
    if (next && d * sizeof(T) % 64 == 0) {  // a cache line at a time
      for (int r = 0; r < R; ++r) __builtin_prefetch(next[r] + d);
    }
    Lanes x[R];
    for (int r = 0; r < R; ++r) x[r] = load(rows[r] + d);
    for (int c = 0; c < K; ++c) {
      Lanes w = load(Wt + c * dim + d);
      // one load of w for the R rows: without this barrier GCC folds a load into every multiply-add,
      // which costs about a tenth of the time on random rows (with AVX: one register holds w; SSE
      // splits it in two, and its multiplies take no memory operand of that width anyway)
#if defined(__AVX__)
      __asm__("" : "+v"(w));
#endif
      for (int r = 0; r < R; ++r) acc[r][c] += x[r] * w;
    }
  }
  for (int r = 0; r < R; ++r) {
    float* out = scores + r * K;
    sum_lanes<K>(acc[r], out);
    for (int c = 0; c < K; ++c) {
      float s = b[c];
      for (int64_t t = d; t < dim; ++t) s += static_cast<float>(rows[r][t]) * Wt[c * dim + t];
      out[c] += s;
    }
  }
}

/// Adds R rows' share to the rows [C0, C0 + S) of dWt (of K), or with kFirst writes it there.
template <int K, int R, int C0, int S, bool kFirst, typename T>
void backward_group(const T* const* rows, int64_t dim, const float* dscores, float scale, float* dWt) {
  Lanes g[R][S];
  for (int r = 0; r < R; ++r) {
    for (int c = 0; c < S; ++c) g[r][c] = Lanes{} + scale * dscores[r * K + C0 + c];
  }
  int64_t d = 0;
  for (; d + kLanes <= dim; d += kLanes) {
    Lanes x[R];
    for (int r = 0; r < R; ++r) x[r] = load(rows[r] + d);
    for (int c = 0; c < S; ++c) {
      float* out = dWt + (C0 + c) * dim + d;
      Lanes a = kFirst ? Lanes{} : load(out);
      for (int r = 0; r < R; ++r) a += g[r][c] * x[r];
      store(out, a);
    }
  }
  for (; d < dim; ++d) {
    for (int c = C0; c < C0 + S; ++c) {
      float s = 0;
      for (int r = 0; r < R; ++r) s += scale * dscores[r * K + c] * static_cast<float>(rows[r][d]);
      dWt[c * dim + d] = kFirst ? s : dWt[c * dim + d] + s;
    }
  }
}

// The forward pass takes pairs of rows: two rows' accumulators for up to kNarrowMaxClasses classes fit
// the 32 AVX-512 registers beside the loads.
constexpr int kPair = 2;
// The backward pass takes quads of rows and at most 6 classes at once (4 x 6 gradients in registers),
// so that each load and store of dWt serves four rows: the stores bound it, and this beats pairs of rows
// with every class (docs/performance.md).
constexpr int kQuad = 4;
constexpr int kSliceClasses = 6;

template <int K, typename T>
void forward(const T* const* rows, int64_t n, int64_t dim, const float* Wt, const float* b, float* scores) {
  int64_t r = 0;
  for (; r + kPair <= n; r += kPair) {
    // rows come in random order from memory: fetch those of the group after next
    const T* const* next = r + 3 * kPair <= n ? rows + r + 2 * kPair : nullptr;
    forward_group<K, kPair, T>(rows + r, next, dim, Wt, b, scores + r * K);
  }
  for (; r < n; ++r) forward_group<K, 1, T>(rows + r, nullptr, dim, Wt, b, scores + r * K);
}

template <int K, typename T>
void backward(const T* const* rows, int64_t n, int64_t dim, const float* dscores, float scale, float* dWt) {
  constexpr int kSlice = K <= kSliceClasses ? K : (K + 1) / 2;  // one or two slices of classes
  const auto quad = [&]<bool kFirst>(int64_t r) {
    backward_group<K, kQuad, 0, kSlice, kFirst, T>(rows + r, dim, dscores + r * K, scale, dWt);
    if constexpr (kSlice < K) {
      backward_group<K, kQuad, kSlice, K - kSlice, kFirst, T>(rows + r, dim, dscores + r * K, scale, dWt);
    }
  };
  int64_t r = 0;
  if (n >= kQuad) {
    quad.template operator()<true>(0);  // writes dWt: no need to clear it first
    r = kQuad;
  } else {
    std::fill_n(dWt, dim * K, 0.0f);
  }
  for (; r + kQuad <= n; r += kQuad) quad.template operator()<false>(r);
  for (; r < n; ++r) backward_group<K, 1, 0, K, false, T>(rows + r, dim, dscores + r * K, scale, dWt);
}

/// f.template operator()<K>() for the compile-time class count K == classes.
template <typename F>
void with_classes(int64_t classes, F&& f) {
  [&]<int... I>(std::integer_sequence<int, I...>) {
    const bool found = ((classes == I + 1 ? (f.template operator()<I + 1>(), true) : false) || ...);
    if (!found) throw std::logic_error("narrow kernels: unsupported class count " + std::to_string(classes));
  }
  (std::make_integer_sequence<int, kNarrowMaxClasses>());
}

template <typename T>
void narrow_forward_rows(const T* const* rows, int64_t n, int64_t dim, const float* Wt, const float* b,
                         int64_t classes, float* scores) {
  with_classes(classes, [&]<int K>() { forward<K, T>(rows, n, dim, Wt, b, scores); });
}

template <typename T>
void narrow_backward_rows(const T* const* rows, int64_t n, int64_t dim, const float* dscores, int64_t classes,
                          float scale, float* dWt, float* db) {
  simd::scaled_column_sums(dscores, n, classes, scale, db);
  with_classes(classes, [&]<int K>() { backward<K, T>(rows, n, dim, dscores, scale, dWt); });
}

}  // namespace

void narrow_forward(const float* const* rows, int64_t n, int64_t dim, const float* Wt, const float* b,
                    int64_t classes, float* scores) {
  narrow_forward_rows(rows, n, dim, Wt, b, classes, scores);
}

void narrow_forward(const uint8_t* const* rows, int64_t n, int64_t dim, const float* Wt, const float* b,
                    int64_t classes, float* scores) {
  narrow_forward_rows(rows, n, dim, Wt, b, classes, scores);
}

void narrow_backward(const float* const* rows, int64_t n, int64_t dim, const float* dscores, int64_t classes,
                     float scale, float* dWt, float* db) {
  narrow_backward_rows(rows, n, dim, dscores, classes, scale, dWt, db);
}

void narrow_backward(const uint8_t* const* rows, int64_t n, int64_t dim, const float* dscores,
                     int64_t classes, float scale, float* dWt, float* db) {
  narrow_backward_rows(rows, n, dim, dscores, classes, scale, dWt, db);
}

}  // namespace featpipe::classify::FEATPIPE_ISA
