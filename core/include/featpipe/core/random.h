#pragma once
// The one source of randomness in featpipe (DESIGN.md, "Determinism"). Every random number is a pure
// function of (seed, stream, item, draw): Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as
// 1, 2, 3", SC 2011), a counter-based generator whose output for a counter is fixed by the algorithm, not by
// a standard library. Work cut into fixed blocks draws from its own item, so the numbers a block sees do not
// depend on the thread or rank that runs it, nor on the blocks before it. The distributions below are
// written here, never taken from std::*_distribution or std::shuffle, whose algorithms the C++ standard
// leaves to each library; tests/core/random_test.cpp pins their outputs.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace featpipe::random {

/// What the numbers are for: two uses with one seed never share numbers. Values are part of the
/// on-disk contract (the same seed gives the same stores across versions): append, never renumber.
enum class Stream : uint32_t {
  holdout = 1,            // the stratified validation split
  synthetic_images = 2,   // synthetic datasets, one item per image
  subset = 3,             // --subset's stratified choice
  weight_init = 4,        // initial weights of a linear model
  minibatch_order = 5,    // the training permutation, one item per epoch
  dropout = 6,            // dropout masks, one item per iteration
  descriptor_sample = 7,  // which local descriptors a store keeps
  kmeans_init = 8,        // k-means++ seeding and empty-cluster reseeding
  kmeans_minibatch = 9,   // mini-batch k-means' batches
  gradient_check = 10,    // the random problems of gradcheck
  rbf_features = 11,      // the frequencies and phases of an rbf random Fourier feature map
  test = 1000,            // tests' own data
};

/// Philox4x32-10 of a 128-bit counter under a 64-bit key: the raw generator, exposed for the pinned
/// known-answer test against the published vectors.
std::array<uint32_t, 4> philox4x32(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key);

/// A sequence of random numbers, the draw-th of which is philox4x32(counter = (draw, item, stream), key =
/// seed). Cheap to construct: make one per block, image or epoch (the item) rather than share one.
class Generator {
 public:
  Generator(uint64_t seed, Stream stream, uint64_t item = 0);

  /// The next 64 random bits.
  uint64_t next();
  /// Uniform in [0, 1), from 53 bits: every value is a multiple of 2^-53.
  double uniform();
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [0, n) for n >= 1, without modulo bias (rejection of the short last interval).
  uint64_t below(uint64_t n);
  /// Standard normal (mean 0, variance 1), Marsaglia's polar method.
  double normal();

 private:
  std::array<uint32_t, 2> key_;
  uint32_t item_lo_, item_hi_, stream_;
  uint32_t draw_ = 0;
  std::array<uint32_t, 4> block_{};
  int used_ = 4;  // 32-bit words of block_ consumed; 4: draw a new block
  bool has_spare_normal_ = false;
  double spare_normal_ = 0;
};

/// Fisher-Yates shuffle of v in place (the same permutation on every platform).
template <typename T>
void shuffle(std::span<T> v, Generator& generator) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = generator.below(i);
    std::swap(v[i - 1], v[j]);
  }
}
template <typename T>
void shuffle(std::vector<T>& v, Generator& generator) {
  shuffle(std::span<T>(v), generator);
}

/// The identity permutation of [0, n) shuffled.
std::vector<int64_t> permutation(std::size_t n, Generator& generator);

/// k distinct indices of [0, n) chosen uniformly (k <= n), in increasing order.
std::vector<int64_t> sample_sorted(std::size_t n, std::size_t k, Generator& generator);

}  // namespace featpipe::random
