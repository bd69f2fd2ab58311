#pragma once
// Squared Euclidean distances between descriptors and centres as one matrix product per block of rows:
// ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2. This is what makes k-means, bag-of-words and VLAD fast: the
// x.c term is a GEMM, which runs near the machine's peak, instead of n * k separate loops.
#include <cstddef>
#include <cstdint>

#include "featpipe/core/matrix.h"

namespace featpipe::vocab {

/// ||r||^2 of every row.
Eigen::VectorXf squared_norms(ConstMatrixView<float> rows);

/// out(i, j) = ||x_i - c_j||^2 for one block of rows, clamped at 0 (rounding in the expanded form can make
/// a tiny distance negative). Requires x.cols() == centres.cols(), out sized x.rows() x centres.rows() and
/// centre_norms == squared_norms(centres).
void squared_distances(ConstMatrixView<float> x, ConstMatrixView<float> centres,
                       const Eigen::VectorXf& centre_norms, MatrixView<float> out);

/// The nearest centre of every row (the lowest index among exact ties) into labels[i], and its squared
/// distance, computed directly as sum (x - c)^2 so that it carries no cancellation error, into
/// sq_distances[i] (may be null). Runs blocks of block_rows rows in parallel; the result does not depend on
/// the thread count.
void nearest_centres(ConstMatrixView<float> x, ConstMatrixView<float> centres, int32_t* labels,
                     float* sq_distances, std::size_t block_rows = 1024);

}  // namespace featpipe::vocab
