#include "byte_rows.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "simd_lanes.h"

namespace featpipe::classify {
namespace {

/// A block's column sums fit 32 bits: 65025 * kMaxBlockRows < 2^32.
constexpr uint64_t kMaxBlockRows = 65536;

typedef int32_t IntLanes __attribute__((vector_size(simd::kLanes * sizeof(int32_t))));
typedef uint8_t ByteLanes __attribute__((vector_size(simd::kLanes)));

/// The code of x: k in [0, 255] nearest x * divisor, or 0 for x out of range (or NaN), which is then a
/// mismatch. One lane or kLanes at once.
template <typename V>
auto code_of(V x, float divisor) {
  V k = x * divisor;
  k = k >= 0.0f && k <= 255.0f ? k : -1.0f;
  if constexpr (std::is_same_v<V, float>) {
    return static_cast<int32_t>(k + 0.5f);
  } else {
    return __builtin_convertvector(k + 0.5f, IntLanes);
  }
}

/// codes[i] = k for values[i] = k / divisor, as float(k) * (1 / divisor) or also (with_division) as
/// float(k) / divisor; false when some value is neither.
template <bool with_division>
bool encode_run(const float* values, uint64_t count, float divisor, uint8_t* codes) {
  const float step = 1.0f / divisor;
  IntLanes mismatch = {};
  uint64_t i = 0;
  for (; i + simd::kLanes <= count; i += simd::kLanes) {
    const simd::Lanes x = simd::load(values + i);
    const IntLanes k = code_of(x, divisor);
    const simd::Lanes kf = __builtin_convertvector(k, simd::Lanes);
    if constexpr (with_division) {
      mismatch |= (kf * step != x) & (kf / divisor != x);
    } else {
      mismatch |= kf * step != x;
    }
    const ByteLanes bytes = __builtin_convertvector(k, ByteLanes);
    std::memcpy(codes + i, &bytes, sizeof bytes);
  }
  bool any = false;
  for (int64_t j = 0; j < simd::kLanes; ++j) any |= mismatch[j] != 0;
  for (; i < count; ++i) {
    const int32_t k = code_of(values[i], divisor);
    const float kf = static_cast<float>(k);
    any |= kf * step != values[i] && (!with_division || kf / divisor != values[i]);
    codes[i] = static_cast<uint8_t>(k);
  }
  return !any;
}

/// encode_run with division, which is slow, only on the runs of values that the product misses.
bool encode(const float* values, uint64_t count, float divisor, uint8_t* codes) {
  constexpr uint64_t kRun = 4096;
  for (uint64_t begin = 0; begin < count; begin += kRun) {
    const uint64_t n = std::min(kRun, count - begin);
    if (!encode_run<false>(values + begin, n, divisor, codes + begin) &&
        !encode_run<true>(values + begin, n, divisor, codes + begin)) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<ByteRows> read_byte_rows(const RowSource& source, uint64_t block_bytes) {
  ByteRows out;
  out.rows = source.rows();
  out.dim = source.dim();
  if (out.rows == 0 || out.dim == 0) return std::nullopt;
  out.codes = HugePageBuffer<uint8_t>(out.rows * out.dim);
  out.sum.assign(out.dim, 0);
  out.sum_sq.assign(out.dim, 0);
  const uint64_t block_rows = std::clamp<uint64_t>(block_bytes / (out.dim * sizeof(float)), 1, kMaxBlockRows);
  std::vector<uint32_t> s1(out.dim), s2(out.dim);
  bool fits = true;
  for_each_row_block(source, block_rows, [&](ConstMatrixView<float> rows, uint64_t begin) {
    const uint64_t values = static_cast<uint64_t>(rows.rows()) * out.dim;
    uint8_t* codes = out.codes.data() + begin * out.dim;
    if (begin == 0) {
      fits = false;
      for (float divisor : kByteDivisors) {
        if (encode(rows.data(), values, divisor, codes)) {
          out.divisor = divisor;
          fits = true;
          break;
        }
      }
    } else {
      fits = encode(rows.data(), values, out.divisor, codes);
    }
    if (!fits) return false;
    std::fill(s1.begin(), s1.end(), 0u);
    std::fill(s2.begin(), s2.end(), 0u);
    for (Eigen::Index r = 0; r < rows.rows(); ++r) {
      const uint8_t* k = codes + r * out.dim;
      for (uint64_t c = 0; c < out.dim; ++c) {
        s1[c] += k[c];
        s2[c] += uint32_t(k[c]) * k[c];
      }
    }
    for (uint64_t c = 0; c < out.dim; ++c) {
      out.sum[c] += s1[c];
      out.sum_sq[c] += s2[c];
    }
    return true;
  });
  if (!fits) return std::nullopt;
  return out;
}

Standardizer byte_standardizer(const ByteRows& rows) {
  Standardizer s;
  s.mean.resize(rows.dim);
  s.std.resize(rows.dim);
  // values are code / divisor: over n rows, mean = sum / (n divisor) and std = sqrt(n sum_sq - sum^2) /
  // (n divisor), the root's argument exact in 128-bit integers
  const double n_divisor = static_cast<double>(rows.rows) * static_cast<double>(rows.divisor);
  for (uint64_t c = 0; c < rows.dim; ++c) {
    using u128 = unsigned __int128;
    const u128 scaled_var = u128(rows.rows) * rows.sum_sq[c] - u128(rows.sum[c]) * rows.sum[c];
    const double sd = std::sqrt(static_cast<double>(scaled_var)) / n_divisor;
    s.mean[c] = static_cast<float>(static_cast<double>(rows.sum[c]) / n_divisor);
    s.std[c] = sd > 0 ? static_cast<float>(sd) : 1.0f;
  }
  return s;
}

ByteAffine byte_affine(const ByteRows& rows, const Standardizer& s) {
  // as Standardizer::apply, x * (1 / std) + (-mean / std), with x = code / divisor
  ByteAffine a;
  a.scale.resize(rows.dim);
  a.offset.resize(rows.dim);
  for (uint64_t c = 0; c < rows.dim; ++c) {
    const float inverse = 1.0f / s.std[c];
    a.scale[c] =
        static_cast<float>(1.0 / (static_cast<double>(rows.divisor) * static_cast<double>(s.std[c])));
    a.offset[c] = -s.mean[c] * inverse;
  }
  return a;
}

}  // namespace featpipe::classify
