#include "byte_rows.h"

#include <algorithm>
#include <atomic>
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

/// Per column: the sums of the codes and of their squares, in 64 bits, added up block by block in 32.
class ColumnSums {
 public:
  explicit ColumnSums(uint64_t dim) : sum_(dim, 0), sum_sq_(dim, 0), block_(dim), block_sq_(dim) {}

  void add(const uint8_t* codes, uint64_t rows) {
    const uint64_t dim = sum_.size();
    std::fill(block_.begin(), block_.end(), 0u);
    std::fill(block_sq_.begin(), block_sq_.end(), 0u);
    for (uint64_t r = 0; r < rows; ++r) {
      const uint8_t* k = codes + r * dim;
      for (uint64_t c = 0; c < dim; ++c) {
        block_[c] += k[c];
        block_sq_[c] += uint32_t(k[c]) * k[c];
      }
    }
    for (uint64_t c = 0; c < dim; ++c) {
      sum_[c] += block_[c];
      sum_sq_[c] += block_sq_[c];
    }
  }

  void add(const ColumnSums& other) {
    for (uint64_t c = 0; c < sum_.size(); ++c) {
      sum_[c] += other.sum_[c];
      sum_sq_[c] += other.sum_sq_[c];
    }
  }

  void move_to(ByteRows& out) {
    out.sum = std::move(sum_);
    out.sum_sq = std::move(sum_sq_);
  }

 private:
  std::vector<uint64_t> sum_, sum_sq_;
  std::vector<uint32_t> block_, block_sq_;
};

/// Rows [begin, begin + count) (at most kMaxBlockRows) from values into out.codes, and their column sums;
/// the block at row 0 picks out.divisor. False when a value is not a code over the divisor.
bool encode_block(const float* values, uint64_t begin, uint64_t count, ByteRows& out, ColumnSums& sums) {
  const uint64_t n = count * out.dim;
  uint8_t* codes = out.codes.data() + begin * out.dim;
  if (begin == 0) {
    const float* divisor = std::find_if(std::begin(kByteDivisors), std::end(kByteDivisors),
                                        [&](float d) { return encode(values, n, d, codes); });
    if (divisor == std::end(kByteDivisors)) return false;
    out.divisor = *divisor;
  } else if (!encode(values, n, out.divisor, codes)) {
    return false;
  }
  sums.add(codes, count);
  return true;
}

}  // namespace

std::optional<ByteRows> read_byte_rows(const RowSource& source, uint64_t block_bytes) {
  ByteRows out;
  out.rows = source.rows();
  out.dim = source.dim();
  if (out.rows == 0 || out.dim == 0) return std::nullopt;
  out.codes = HugePageBuffer<uint8_t>(out.rows * out.dim);
  const uint64_t block_rows = std::clamp<uint64_t>(block_bytes / (out.dim * sizeof(float)), 1, kMaxBlockRows);
  ColumnSums sums(out.dim);
  bool fits = true;
  if (source.in_place().empty()) {
    for_each_row_block(source, block_rows, [&](ConstMatrixView<float> rows, uint64_t begin) {
      return fits = encode_block(rows.data(), begin, static_cast<uint64_t>(rows.rows()), out, sums);
    });
  } else {
    // Rows in memory are encoded on all threads: one thread is bound by its own memory bandwidth (a
    // store's rows come from the page cache), and each writes its own codes. The first block, which picks
    // the divisor, goes first.
    const std::vector<RowSpan> blocks = in_place_blocks(source, block_rows);
    fits = encode_block(blocks[0].rows, blocks[0].first, blocks[0].count, out, sums);
    source.release(blocks[0].first, blocks[0].count);
    std::atomic<bool> all_fit{fits};
#pragma omp parallel if (fits && blocks.size() > 1)
    {
      ColumnSums mine(out.dim);
#pragma omp for schedule(dynamic)
      for (size_t i = 1; i < blocks.size(); ++i) {
        if (!all_fit.load(std::memory_order_relaxed)) continue;
        if (!encode_block(blocks[i].rows, blocks[i].first, blocks[i].count, out, mine)) all_fit = false;
        source.release(blocks[i].first, blocks[i].count);
      }
#pragma omp critical
      sums.add(mine);
    }
    fits = all_fit;
  }
  if (!fits) return std::nullopt;
  sums.move_to(out);
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
