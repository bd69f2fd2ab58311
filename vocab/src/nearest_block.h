#pragma once
// Private to the kernels (core/dispatch.h): the fused "one GEMM, then an argmin per row" kernel shared by
// k-means, bag-of-words and VLAD, in the namespace of the CPU level the including file is compiled for.
#include <cstddef>
#include <cstdint>

#include "featpipe/core/matrix.h"

namespace featpipe::vocab::FEATPIPE_ISA {

/// Centres prepared once per set of centres: -2 c (so the GEMM yields -2 x.c directly) and ||c||^2.
struct PreparedCentres {
  explicit PreparedCentres(ConstMatrixView<float> centres);
  ConstMatrixView<float> centres;
  RowMatrix<float> minus_two;
  Eigen::RowVectorXf norms;
};

/// Rows per distance product inside nearest_in_block: their scores (rows x k floats) stay in cache.
inline constexpr Eigen::Index kNearestTileRows = 256;

/// For each row of x: labels[i] = argmin_j ||x_i - c_j||^2 (lowest j on ties) and, when sq_distances is not
/// null, the exact squared distance to that centre. scratch holds at least
/// min(x.rows(), kNearestTileRows) * k floats.
void nearest_in_block(ConstMatrixView<float> x, const PreparedCentres& prepared, float* scratch,
                      int32_t* labels, float* sq_distances);

/// scores(i, j) = ||c_j||^2 - 2 x_i.c_j for a tile of rows (add ||x_i||^2 for the squared distance):
/// scratch holds x.rows() * k floats.
void score_block(ConstMatrixView<float> x, const PreparedCentres& prepared, float* scratch);

/// Exact sum (a - b)^2 over d floats, accumulated in float lanes.
float squared_distance(const float* a, const float* b, std::size_t d);

}  // namespace featpipe::vocab::FEATPIPE_ISA
