#pragma once
// Private: the one way vocab/ runs work in parallel, and its seeded random numbers.
#include <omp.h>

#include <cstdint>
#include <random>

namespace featpipe::vocab {

/// Runs fn(i) for i in [0, count) on the OpenMP team; fn must not throw. Callers cut work into blocks
/// whose boundaries do not depend on the thread count and combine per-block results in block order, so
/// results are the same on any number of threads (and, later, MPI ranks). Each thread limits nested
/// parallelism to itself: an Eigen product inside fn would otherwise parallelise itself when the team is a
/// single thread, with a cache blocking (and so rounding) that depends on the thread count.
template <typename Fn>
void for_each_block(int64_t count, Fn&& fn) {
#pragma omp parallel if (count > 1)
  {
    omp_set_num_threads(1);
#pragma omp for schedule(dynamic, 1)
    for (int64_t i = 0; i < count; ++i) fn(i);
  }
}

/// Number of blocks of `block` rows covering n rows.
inline int64_t block_count(std::size_t n, std::size_t block) {
  return static_cast<int64_t>((n + block - 1) / block);
}

/// A uniform double in [0, 1) from 53 random bits: the same on every standard library, unlike
/// std::uniform_real_distribution.
inline double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// A uniform index in [0, n) (n > 0); the modulo bias is below 2^-40 for any n featpipe sees.
inline std::size_t uniform_index(std::mt19937_64& rng, std::size_t n) { return rng() % n; }

}  // namespace featpipe::vocab
