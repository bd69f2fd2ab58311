#include "featpipe/vocab/distances.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

#include "nearest_block.h"
#include "parallel_blocks.h"

namespace featpipe::vocab {

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

void nearest_in_block(ConstMatrixView<float> x, const PreparedCentres& prepared, float* scratch,
                      int32_t* labels, float* sq_distances) {
  const Eigen::Index n = x.rows(), k = prepared.centres.rows();
  Eigen::Map<RowMatrix<float>> scores(scratch, n, k);
  scores.noalias() = x * prepared.minus_two.transpose();
  for (Eigen::Index i = 0; i < n; ++i) {
    float* row = scratch + i * k;
    const float* norms = prepared.norms.data();
    // ||c||^2 - 2 x.c ranks centres as ||x - c||^2 does (||x||^2 is the same for every centre). The minimum
    // is found by a vectorised reduction first and its first position by a scan that usually stops early.
    float best = std::numeric_limits<float>::infinity();
#pragma omp simd reduction(min : best)
    for (Eigen::Index j = 0; j < k; ++j) {
      row[j] += norms[j];
      best = std::min(best, row[j]);
    }
    Eigen::Index arg = 0;
    while (arg + 1 < k && row[arg] != best) ++arg;
    labels[i] = static_cast<int32_t>(arg);
    if (sq_distances)
      sq_distances[i] = squared_distance(x.row(i).data(), prepared.centres.row(arg).data(), x.cols());
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
    thread_local std::vector<float> scratch;
    const std::size_t begin = b * block, count = std::min(block, n - begin);
    scratch.resize(count * centres.rows());
    nearest_in_block(x.middleRows(begin, count), prepared, scratch.data(), labels + begin,
                     sq_distances ? sq_distances + begin : nullptr);
  });
}

}  // namespace featpipe::vocab
