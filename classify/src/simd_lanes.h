#pragma once
// Private: one SIMD register of floats for the training kernels (GCC vector extension), with unaligned loads
// (of floats, or of bytes turned into floats) and stores, and what both kernel families share.
#include <cstdint>
#include <cstring>

#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace featpipe::classify::simd {

// One register of the level the file is compiled for (core/dispatch.h): a wider vector on a narrower level
// would be passed between functions in memory.
#if defined(__AVX512F__)
constexpr int64_t kLanes = 16;
#elif defined(__AVX__)
constexpr int64_t kLanes = 8;
#else
constexpr int64_t kLanes = 4;
#endif
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float))));

inline Lanes load(const float* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store(float* p, Lanes v) { std::memcpy(p, &v, sizeof v); }

/// kLanes bytes as floats (exact: every byte is a float). Intrinsics where there are, since GCC 12 turns
/// __builtin_convertvector of bytes into one scalar conversion per lane.
inline Lanes load(const uint8_t* p) {
#if defined(__AVX512F__)
  return reinterpret_cast<Lanes>(
      _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)))));
#elif defined(__AVX2__)
  return reinterpret_cast<Lanes>(
      _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)))));
#else
  typedef uint8_t ByteLanes __attribute__((vector_size(kLanes)));
  ByteLanes v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, Lanes);
#endif
}

constexpr int64_t kFloatsPerLine = 64 / sizeof(float);

/// out[c] = scale sum_r m[r * cols + c]: the bias gradient of both kernel families.
inline void scaled_column_sums(const float* m, int64_t rows, int64_t cols, float scale, float* out) {
  for (int64_t c = 0; c < cols; ++c) out[c] = 0.0f;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) out[c] += scale * m[r * cols + c];
  }
}

}  // namespace featpipe::classify::simd
