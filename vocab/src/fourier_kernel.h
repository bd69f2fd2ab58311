#pragma once
// Private: the product behind RbfMap::map_rows, compiled per CPU level (kernels/fourier_features.cpp,
// core/dispatch.h).
#include <cstddef>

namespace featpipe::vocab {

/// out[r * dim + j] = norm * cos(sum_k x[r * input_dim + k] * wt[k * padded_dim + j] + phases[j]) for the
/// `rows` rows of x and j < dim (padded_dim >= dim, a multiple of 64; wt and phases hold padded_dim columns).
/// Each value is summed over k in order, one product at a time, whatever the rows beside it: a row gets the
/// same bits alone as in any block.
void fourier_features(const float* wt, const float* phases, std::size_t input_dim, std::size_t dim,
                      std::size_t padded_dim, float norm, const float* x, std::size_t rows, float* out);

}  // namespace featpipe::vocab
