#pragma once
// Private: the training inner loops. Scores S = X W + b and dW = X^T dS for a block of rows given by
// pointers into the training rows, so minibatches are never gathered into a copy, and neither product
// packs its operands. Compiled per CPU level (kernels/row_kernels.cpp, core/dispatch.h). Measured on
// Fashion-MNIST (784 x 10, blocks of 64 rows): a third of the time of an Eigen gather + two GEMMs, whose
// packing dominates when there are only ten columns.
//
// Layout: classes are padded to whole SIMD vectors, W is [D, padded] row-major, b and each row of scores
// [padded]; padded columns of W, b and dS must be zero and stay zero.
#include <cstdint>

namespace featpipe::classify {

/// Classes rounded up to the width the kernels work in (the active CPU level's).
int64_t padded_classes(int64_t classes);

/// scores[r, :] = b + sum_d rows[r][d] W[d, :] for r in [0, n).
void rows_forward(const float* const* rows, int64_t n, int64_t dim, const float* W, const float* b,
                  int64_t padded, float* scores);

/// dW[d, :] = scale sum_r rows[r][d] dscores[r, :] and db = scale sum_r dscores[r, :], overwritten.
void rows_backward(const float* const* rows, int64_t n, int64_t dim, const float* dscores, int64_t padded,
                   float scale, float* dW, float* db);

}  // namespace featpipe::classify
