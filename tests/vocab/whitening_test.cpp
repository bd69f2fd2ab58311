#include "featpipe/vocab/whitening.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <cstring>

#include "featpipe/core/random.h"

namespace featpipe::vocab {
namespace {

RowMatrix<float> correlated_rows(int n, uint64_t seed) {
  random::Generator rng(seed, random::Stream::test);
  const auto normal = [&](random::Generator& g) { return static_cast<float>(g.normal()); };
  RowMatrix<float> x(n, 4);
  for (int i = 0; i < n; ++i) {
    const float a = normal(rng), b = normal(rng);
    x.row(i) << 10 + 3 * a, 10 + 3 * a + 0.5f * b, -2 * b + 0.1f * normal(rng), 5 + normal(rng);
  }
  return x;
}

TEST(WhiteningTest, ZcaMakesTheCovarianceNearIdentity) {
  const RowMatrix<float> x = correlated_rows(20000, 1);
  WhiteningParams params;
  params.zca = true;
  params.zca_eps = 1e-6f;  // tiny: the result should be white
  const Whitening w = Whitening::learn(x, params);
  RowMatrix<float> y = x;
  w.apply(y);
  const RowMatrix<double> centred = y.cast<double>().rowwise() - y.cast<double>().colwise().mean();
  const Eigen::MatrixXd cov = centred.transpose() * centred / double(y.rows() - 1);
  // The transform is stored in float; a direction of variance 0.01 amplifies its rounding.
  EXPECT_TRUE(cov.isApprox(Eigen::MatrixXd::Identity(4, 4), 1e-2)) << cov;
  // ZCA, unlike PCA whitening, stays close to the input's axes: the transform is symmetric.
  EXPECT_TRUE(w.transform().isApprox(w.transform().transpose(), 1e-5f));
}

// The same transform, bit for bit, for any thread count: its covariance and eigenvectors come from products
// outside any parallel region (tests/core/eigen_products_test.cpp). 128 correlated dimensions, as dense
// SIFT's: products that large are where a changed rounding reaches the float transform.
TEST(WhiteningTest, SameTransformForAnyThreadCount) {
  random::Generator rng(1, random::Stream::test);
  RowMatrix<float> x(4000, 128);
  for (int i = 0; i < x.rows(); ++i) {
    const float shared = static_cast<float>(rng.normal());
    for (int c = 0; c < x.cols(); ++c) x(i, c) = shared * float(c % 7) + static_cast<float>(rng.normal());
  }
  WhiteningParams params;
  params.zca = true;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const Whitening one = Whitening::learn(x, params);
  omp_set_num_threads(3);
  const Whitening three = Whitening::learn(x, params);
  omp_set_num_threads(saved);
  EXPECT_EQ(std::memcmp(one.transform().data(), three.transform().data(), sizeof(float) * 128 * 128), 0);
  EXPECT_EQ(std::memcmp(one.mean().data(), three.mean().data(), sizeof(float) * 128), 0);
}

TEST(WhiteningTest, PatchNormalisationRemovesBrightnessAndContrast) {
  RowMatrix<float> x(2, 4);
  x.row(0) << 1, 2, 3, 4;
  x.row(1) = 10 * x.row(0).array() + 50;
  WhiteningParams params;
  params.normalize_patches = true;
  params.patch_eps = 0;
  const Whitening w = Whitening::learn(x, params);
  w.apply(x);
  EXPECT_TRUE(x.row(0).isApprox(x.row(1), 1e-5f));
  EXPECT_NEAR(x.row(0).sum(), 0.0f, 1e-5f);
}

TEST(WhiteningTest, IdentityLeavesRowsAlone) {
  RowMatrix<float> x = correlated_rows(10, 2);
  const RowMatrix<float> before = x;
  const Whitening w;
  EXPECT_TRUE(w.identity());
  w.apply(x);
  EXPECT_TRUE(x == before);
}

}  // namespace
}  // namespace featpipe::vocab
