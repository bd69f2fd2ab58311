// Eigen products give the same bits for any OpenMP thread count, also outside for_each_block: featpipe_core
// sets EIGEN_DONT_PARALLELIZE for everything that links it. Were Eigen allowed to parallelise, a product
// outside a parallel region would be cut by the thread count, with a cache blocking (and so a rounding)
// that follows it; the covariance that ZCA whitening is learned from is such a product.
#include <gtest/gtest.h>
#include <omp.h>

#include <cstring>

#include "featpipe/core/matrix.h"
#include "featpipe/core/random.h"

namespace featpipe {
namespace {

RowMatrix<double> normal_rows(int n, int d, uint64_t seed) {
  random::Generator rng(seed, random::Stream::test);
  RowMatrix<double> x(n, d);
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < d; ++c) x(i, c) = rng.normal();
  return x;
}

TEST(EigenProducts, SameBitsForAnyThreadCount) {
  const RowMatrix<double> x = normal_rows(4000, 128, 1);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const Eigen::MatrixXd one = x.transpose() * x;
  omp_set_num_threads(3);
  const Eigen::MatrixXd three = x.transpose() * x;
  omp_set_num_threads(saved);
  EXPECT_EQ(std::memcmp(one.data(), three.data(), sizeof(double) * one.size()), 0);
}

}  // namespace
}  // namespace featpipe
