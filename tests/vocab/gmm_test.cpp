#include "featpipe/vocab/gmm.h"

#include <gtest/gtest.h>

#include <cmath>

#include "vocab/vocab_test_data.h"

namespace featpipe::vocab {
namespace {

using testing::make_blobs;

TEST(GmmTest, LogLikelihoodNeverDecreases) {
  const auto blobs = make_blobs(6, 150, 5, 1.2f, 11);  // overlapping: EM has work to do
  GmmParams params;
  params.k = 8;
  params.max_iterations = 40;
  params.tolerance = 0;
  params.init_iterations = 2;
  params.block_rows = 100;
  const GmmResult r = fit_gmm(blobs.points, params);
  ASSERT_EQ(r.log_likelihood.size(), 40u);
  for (std::size_t t = 1; t < r.log_likelihood.size(); ++t) {
    // EM never lowers the likelihood; the densities are summed in double, so only rounding is allowed.
    EXPECT_GE(r.log_likelihood[t], r.log_likelihood[t - 1] - 1e-9 * std::abs(r.log_likelihood[t])) << t;
  }
  EXPECT_GT(r.log_likelihood.back(), r.log_likelihood.front());
}

TEST(GmmTest, RecoversSeparatedComponents) {
  const auto blobs = make_blobs(4, 300, 3, 12.0f, 12);
  GmmParams params;
  params.k = 4;
  const GmmResult r = fit_gmm(blobs.points, params);
  EXPECT_NEAR(r.gmm.weights.sum(), 1.0f, 1e-5f);
  for (int j = 0; j < 4; ++j) {
    EXPECT_NEAR(r.gmm.weights(j), 0.25f, 0.01f);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(r.gmm.variances(j, c), 1.0f, 0.25f);  // unit noise
  }
  // Mean log-likelihood of unit Gaussians in 3-D: -(3/2)(log 2 pi + 1) plus log 1/4 for the mixture weight.
  const double expected = -1.5 * (std::log(2 * M_PI) + 1) + std::log(0.25);
  EXPECT_NEAR(r.log_likelihood.back() / 1200.0, expected, 0.1);
}

TEST(GmmTest, PosteriorsSumToOneAndMatchTraining) {
  const auto blobs = make_blobs(3, 100, 4, 3.0f, 13);
  GmmParams params;
  params.k = 3;
  params.max_iterations = 5;
  params.tolerance = 0;
  const GmmResult r = fit_gmm(blobs.points, params);
  RowMatrix<float> post(blobs.points.rows(), 3);
  const double ll = GmmPosteriors(r.gmm).compute(blobs.points, post);
  for (Eigen::Index i = 0; i < post.rows(); ++i) EXPECT_NEAR(post.row(i).sum(), 1.0f, 1e-5f);
  EXPECT_TRUE((post.array() >= 0).all());
  // The last recorded value is for the parameters before the final M-step, so only close.
  EXPECT_NEAR(ll, r.log_likelihood.back(), 1e-2 * std::abs(ll));
}

TEST(GmmTest, DuplicatedRowsStayFinite) {
  RowMatrix<float> x(40, 2);
  for (int i = 0; i < 40; ++i) x.row(i) << float(i % 2), 3.0f;  // zero variance in dimension 2
  GmmParams params;
  params.k = 3;
  params.max_iterations = 10;
  const GmmResult r = fit_gmm(x, params);
  EXPECT_TRUE(r.gmm.means.allFinite());
  EXPECT_TRUE((r.gmm.variances.array() > 0).all());
  for (double v : r.log_likelihood) EXPECT_TRUE(std::isfinite(v));
}

}  // namespace
}  // namespace featpipe::vocab
