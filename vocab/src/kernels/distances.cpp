#include "featpipe/vocab/distances.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "featpipe/core/parallel_blocks.h"
#include "featpipe/core/scratch.h"
#include "nearest_block.h"

namespace featpipe::vocab::FEATPIPE_ISA {

Eigen::VectorXf squared_norms(ConstMatrixView<float> rows) { return rows.rowwise().squaredNorm(); }

void squared_distances(ConstMatrixView<float> x, ConstMatrixView<float> centres,
                       const Eigen::VectorXf& centre_norms, MatrixView<float> out) {
  if (x.cols() != centres.cols() || out.rows() != x.rows() || out.cols() != centres.rows() ||
      centre_norms.size() != centres.rows()) {
    throw std::invalid_argument(
        "squared_distances: shapes of descriptors, centres, norms and output disagree");
  }
  out.noalias() = x * centres.transpose();
  const Eigen::VectorXf x_norms = squared_norms(x);
  for (Eigen::Index i = 0; i < out.rows(); ++i) {
    out.row(i) = ((-2.0f * out.row(i)).array() + x_norms(i) + centre_norms.transpose().array()).max(0.0f);
  }
}

PreparedCentres::PreparedCentres(ConstMatrixView<float> c)
    : centres(c), minus_two(-2.0f * c), norms(c.rowwise().squaredNorm().transpose()) {}

float squared_distance(const float* a, const float* b, std::size_t d) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (std::size_t j = 0; j < d; ++j) sum += (a[j] - b[j]) * (a[j] - b[j]);
  return sum;
}

namespace {

/// First position of value in row[0, k), which holds it: 16 lanes compared at a time, then one by one.
Eigen::Index find_first(const float* row, Eigen::Index k, float value) {
  Eigen::Index j = 0;
  for (; j + 16 <= k; j += 16) {
    bool hit = false;
    for (int l = 0; l < 16; ++l) hit |= row[j + l] == value;
    if (hit) break;
  }
  while (j + 1 < k && row[j] != value) ++j;
  return j;
}

}  // namespace

void score_block(ConstMatrixView<float> x, const PreparedCentres& prepared, float* scratch) {
  Eigen::Map<RowMatrix<float>> scores(scratch, x.rows(), prepared.centres.rows());
  // Starting from the norms and accumulating the product into them saves the pass that an assignment
  // (which zeroes the destination first) and a separate addition would take.
  scores.rowwise() = prepared.norms;
  scores.noalias() += x * prepared.minus_two.transpose();
}

void nearest_in_block(ConstMatrixView<float> x, const PreparedCentres& prepared, float* scratch,
                      int32_t* labels, float* sq_distances) {
  const Eigen::Index k = prepared.centres.rows();
  for (Eigen::Index begin = 0; begin < x.rows(); begin += kNearestTileRows) {
    const Eigen::Index n = std::min<Eigen::Index>(kNearestTileRows, x.rows() - begin);
    score_block(x.middleRows(begin, n), prepared, scratch);
    const Eigen::Map<const RowMatrix<float>> scores(scratch, n, k);
    for (Eigen::Index i = 0; i < n; ++i) {
      // ||c||^2 - 2 x.c ranks centres as ||x - c||^2 does (||x||^2 is the same for every centre). The
      // minimum comes from a vectorised reduction, its first position from a scan that stops there.
      const Eigen::Index arg = find_first(scratch + i * k, k, scores.row(i).minCoeff());
      labels[begin + i] = static_cast<int32_t>(arg);
      if (sq_distances) {
        sq_distances[begin + i] =
            squared_distance(x.row(begin + i).data(), prepared.centres.row(arg).data(), x.cols());
      }
    }
  }
}

void nearest_centres(ConstMatrixView<float> x, ConstMatrixView<float> centres, int32_t* labels,
                     float* sq_distances, std::size_t block_rows) {
  if (x.cols() != centres.cols()) {
    throw std::invalid_argument("nearest_centres: descriptors have " + std::to_string(x.cols()) +
                                " dimensions, centres " + std::to_string(centres.cols()));
  }
  if (centres.rows() == 0) throw std::invalid_argument("nearest_centres: no centres");
  const std::size_t n = x.rows(), block = std::max<std::size_t>(1, block_rows);
  const PreparedCentres prepared(centres);
  for_each_block(block_count(n, block), [&](int64_t b) {
    const std::size_t begin = b * block, count = std::min(block, n - begin);
    float* scratch = thread_scratch<float, struct NearestScores>(
        std::min<std::size_t>(count, kNearestTileRows) * centres.rows());
    nearest_in_block(x.middleRows(begin, count), prepared, scratch, labels + begin,
                     sq_distances ? sq_distances + begin : nullptr);
  });
}

}  // namespace featpipe::vocab::FEATPIPE_ISA
