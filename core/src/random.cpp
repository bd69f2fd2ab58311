#include "featpipe/core/random.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <unordered_set>

namespace featpipe::random {
namespace {

// The multipliers and Weyl key increments of Philox4x32 (Salmon et al. 2011, and Random123's philox.h).
constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
constexpr int kRounds = 10;

std::array<uint32_t, 4> philox_round(const std::array<uint32_t, 4>& c, const std::array<uint32_t, 2>& k) {
  const uint64_t p0 = uint64_t(kMul0) * c[0], p1 = uint64_t(kMul1) * c[2];
  const uint32_t hi0 = uint32_t(p0 >> 32), lo0 = uint32_t(p0), hi1 = uint32_t(p1 >> 32), lo1 = uint32_t(p1);
  return {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
}

}  // namespace

std::array<uint32_t, 4> philox4x32(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key) {
  for (int r = 0; r < kRounds; ++r) {
    if (r > 0) key = {key[0] + kWeyl0, key[1] + kWeyl1};
    counter = philox_round(counter, key);
  }
  return counter;
}

Generator::Generator(uint64_t seed, Stream stream, uint64_t item)
    : key_{uint32_t(seed), uint32_t(seed >> 32)},
      item_lo_(uint32_t(item)),
      item_hi_(uint32_t(item >> 32)),
      stream_(static_cast<uint32_t>(stream)) {}

uint64_t Generator::next() {
  if (used_ > 2) {
    // 2^32 blocks of 128 bits per (seed, stream, item): more than any one block of work draws; past them
    // the numbers would repeat, so stop rather than reuse them.
    if (draw_ == UINT32_MAX) throw std::length_error("random::Generator: more than 2^32 draws from one item");
    block_ = philox4x32({draw_++, item_lo_, item_hi_, stream_}, key_);
    used_ = 0;
  }
  const uint64_t bits = uint64_t(block_[used_]) | uint64_t(block_[used_ + 1]) << 32;
  used_ += 2;
  return bits;
}

double Generator::uniform() { return double(next() >> 11) * 0x1.0p-53; }

uint64_t Generator::below(uint64_t n) {
  if (n == 0) throw std::invalid_argument("random::Generator::below: n must be at least 1");
  const uint64_t threshold = (0 - n) % n;  // 2^64 mod n: values below it would bias the modulo
  while (true) {
    const uint64_t r = next();
    if (r >= threshold) return r % n;
  }
}

double Generator::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u, v, s;
  do {
    u = uniform(-1.0, 1.0);
    v = uniform(-1.0, 1.0);
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double scale = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * scale;
  has_spare_normal_ = true;
  return u * scale;
}

std::vector<int64_t> permutation(std::size_t n, Generator& generator) {
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), int64_t{0});
  shuffle(order, generator);
  return order;
}

std::vector<int64_t> sample_sorted(std::size_t n, std::size_t k, Generator& generator) {
  if (k > n) throw std::invalid_argument("random::sample_sorted: k > n");
  std::vector<int64_t> chosen;
  chosen.reserve(k);
  if (2 * k >= n) {  // most of the range: a partial shuffle
    std::vector<int64_t> all(n);
    std::iota(all.begin(), all.end(), int64_t{0});
    for (std::size_t i = 0; i < k; ++i) std::swap(all[i], all[i + generator.below(n - i)]);
    chosen.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k));
  } else {  // Floyd's algorithm: k draws, memory for k
    std::unordered_set<int64_t> taken;
    taken.reserve(k);
    for (std::size_t j = n - k; j < n; ++j) {
      const int64_t t = static_cast<int64_t>(generator.below(j + 1));
      const int64_t pick = taken.count(t) ? static_cast<int64_t>(j) : t;
      taken.insert(pick);
      chosen.push_back(pick);
    }
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace featpipe::random
