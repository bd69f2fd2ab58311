#include "featpipe/vocab/kernel_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "featpipe/core/random.h"

namespace featpipe::vocab {
namespace {

std::vector<float> random_histogram(random::Generator& rng, int bins) {
  std::vector<float> h(bins);
  float sum = 0;
  // BoW histograms are sparse: 30% empty bins, the others exponentially distributed masses
  for (float& v : h) sum += v = rng.uniform() < 0.3 ? 0.0f : static_cast<float>(-std::log1p(-rng.uniform()));
  for (float& v : h) v /= sum;
  return h;
}

double exact_kernel(AdditiveKernel kernel, const std::vector<float>& x, const std::vector<float>& y) {
  double k = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (kernel == AdditiveKernel::intersection) {
      k += std::min(x[i], y[i]);
    } else if (x[i] + y[i] > 0) {
      k += 2.0 * x[i] * y[i] / (double(x[i]) + y[i]);
    }
  }
  return k;
}

double mapped_dot(const KernelMap& map, const std::vector<float>& x, const std::vector<float>& y) {
  std::vector<float> a(x.size() * map.multiplier()), b(y.size() * map.multiplier());
  map.map(x.data(), x.size(), a.data());
  map.map(y.data(), y.size(), b.data());
  double dot = 0;
  for (std::size_t i = 0; i < a.size(); ++i) dot += double(a[i]) * b[i];
  return dot;
}

// The tolerances are the worst absolute error over 200 pairs of 256-bin L1-normalised histograms (kernel
// values between 0.3 and 0.8), with headroom: order 1 (3 values per bin) approximates chi2 within 0.005,
// order 3 within 0.0005. The intersection kernel is harder to approximate (its spectrum decays slowly).
struct Case {
  AdditiveKernel kernel;
  int order;
  double tolerance;
};

class KernelMapTest : public ::testing::TestWithParam<Case> {};

TEST_P(KernelMapTest, DotProductsApproximateTheKernel) {
  const Case c = GetParam();
  KernelMapParams params;
  params.kernel = c.kernel;
  params.order = c.order;
  const KernelMap map(params);
  EXPECT_EQ(map.multiplier(), std::size_t(2 * c.order + 1));
  random::Generator rng(7, random::Stream::test);
  double worst = 0;
  for (int pair = 0; pair < 200; ++pair) {
    const auto x = random_histogram(rng, 256), y = random_histogram(rng, 256);
    worst = std::max(worst, std::abs(mapped_dot(map, x, y) - exact_kernel(c.kernel, x, y)));
  }
  EXPECT_LT(worst, c.tolerance) << to_string(c.kernel) << " order " << c.order;
}

INSTANTIATE_TEST_SUITE_P(Kernels, KernelMapTest,
                         ::testing::Values(Case{AdditiveKernel::chi2, 1, 5e-3},
                                           Case{AdditiveKernel::chi2, 3, 5e-4},
                                           Case{AdditiveKernel::intersection, 1, 5e-2}));

TEST(KernelMapTest, SelfSimilarityOfAHistogramIsItsMass) {
  // chi2(x, x) = sum x = 1 for an L1-normalised histogram.
  const KernelMap map(KernelMapParams{});
  random::Generator rng(8, random::Stream::test);
  const auto x = random_histogram(rng, 100);
  EXPECT_NEAR(mapped_dot(map, x, x), 1.0, 1e-2);  // order 1 errs most on a histogram against itself
}

TEST(KernelMapTest, RejectsBadOrderAndUnknownKernel) {
  KernelMapParams params;
  params.order = 0;
  EXPECT_THROW(KernelMap{params}, std::invalid_argument);
  EXPECT_THROW(parse_additive_kernel("rbf"), std::invalid_argument);
}

}  // namespace
}  // namespace featpipe::vocab
