#include "featpipe/classify/dropout.h"

namespace featpipe::classify {
namespace {

/// SplitMix64 (Steele et al. 2014): a counter-based hash, so each entry's draw depends only on its
/// position and the seed.
uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

void inverted_dropout(MatrixView<float> rows, double p, uint64_t seed) {
  if (p <= 0) return;
  // keep when a 32-bit uniform draw is >= p * 2^32; two draws per 64-bit hash
  const uint64_t threshold = static_cast<uint64_t>(p * 4294967296.0);
  const float scale = static_cast<float>(1.0 / (1.0 - p));
  const uint64_t base = splitmix64(seed);
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    float* row = rows.row(i).data();
    const uint64_t row_key = base + static_cast<uint64_t>(i) * static_cast<uint64_t>(rows.cols());
    for (Eigen::Index j = 0; j < rows.cols(); j += 2) {
      const uint64_t bits = splitmix64(row_key + static_cast<uint64_t>(j));
      row[j] = (bits & 0xffffffffULL) >= threshold ? row[j] * scale : 0.0f;
      if (j + 1 < rows.cols()) row[j + 1] = (bits >> 32) >= threshold ? row[j + 1] * scale : 0.0f;
    }
  }
}

}  // namespace featpipe::classify
