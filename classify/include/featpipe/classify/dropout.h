#pragma once
// Input dropout (Srivastava et al. 2014), inverted: kept entries are scaled by 1 / (1 - p) in training so
// that nothing changes at test time.
#include <cstdint>

#include "featpipe/core/matrix.h"

namespace featpipe::classify {

/// Zeroes each entry of rows with probability p and scales the rest by 1 / (1 - p). The mask is a
/// function of (seed, item, entry position) only (random::Stream::dropout), so it does not depend on
/// threads: callers give each block of each minibatch its own item. Requires 0 <= p < 1.
void inverted_dropout(MatrixView<float> rows, double p, uint64_t seed, uint64_t item);

}  // namespace featpipe::classify
