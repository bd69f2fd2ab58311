#pragma once
// Private: the one way classify/ runs work in parallel.
#include <omp.h>

#include <cstdint>

namespace featpipe::classify {

/// Runs fn(i) for i in [0, count) on the OpenMP team; fn must not throw. The callers cut work into a
/// fixed number of blocks whatever the thread count, and combine per-block results in block order.
/// Each thread limits nested parallelism to one thread first: an Eigen product inside fn would
/// otherwise parallelise itself when the team is a single thread, with cache blocking (and so rounding)
/// that depends on the thread count.
template <typename Fn>
void for_each_block(int64_t count, Fn&& fn) {
#pragma omp parallel if (count > 1)
  {
    omp_set_num_threads(1);
#pragma omp for schedule(static)
    for (int64_t i = 0; i < count; ++i) fn(i);
  }
}

}  // namespace featpipe::classify
