#pragma once
// The one way featpipe runs work in parallel (DESIGN.md, "Determinism"): work is cut into blocks whose
// boundaries do not depend on the thread count (nor, later, the MPI rank count), each block is computed on
// its own, and per-block results are combined in block order by the caller.
#include <omp.h>

#include <cstddef>
#include <cstdint>

namespace featpipe {

/// Runs fn(i) for i in [0, count) on the OpenMP team, blocks handed out one at a time (blocks may take
/// unequal time); fn must not throw. Each thread limits nested parallelism to itself first: a parallel
/// region inside fn (a nested for_each_block, or an Eigen product in code built without the
/// EIGEN_DONT_PARALLELIZE that featpipe_core sets) would otherwise start a team of its own when this team
/// is a single thread, and an Eigen product so cut has a cache blocking (and so a rounding) that depends on
/// the thread count.
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

}  // namespace featpipe
