// Random Fourier features against the RBF kernel they approximate, their determinism and their refusals.
#include "featpipe/vocab/rbf_map.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

#include "featpipe/core/random.h"

namespace featpipe::vocab {
namespace {

std::vector<float> random_point(random::Generator& rng, int d, double scale) {
  std::vector<float> x(d);
  for (float& v : x) v = static_cast<float>(scale * rng.normal());
  return x;
}

std::vector<float> mapped(const RbfMap& map, const std::vector<float>& x) {
  std::vector<float> z(map.dim(), -7.0f);
  map.map(x.data(), z.data());
  return z;
}

// Each of the D terms of z(x).z(y) is cos(w.(x - y)) + cos(w.(x + y) + 2b) over D, of mean k(x, y) and second
// moment at most 1 + 1/2: the mean of D of them lies within 6 standard deviations, 6 sqrt(1.5 / D), of k.
// The seed is fixed, so the check is deterministic; the bound is what makes it hold for any seed but one
// in about a billion.
TEST(RbfMapTest, InnerProductsApproximateTheKernel) {
  const int d = 10, features = 20000;
  const double gamma = 0.05;
  const RbfMap map({gamma, features, 3}, d);
  ASSERT_EQ(map.dim(), std::size_t(features));
  random::Generator rng(5, random::Stream::test);
  const double bound = 6 * std::sqrt(1.5 / features);
  for (int pair = 0; pair < 20; ++pair) {
    const std::vector<float> x = random_point(rng, d, 1.0), y = random_point(rng, d, 0.1 * pair);
    double squared = 0;
    for (int c = 0; c < d; ++c) squared += (double(x[c]) - y[c]) * (double(x[c]) - y[c]);
    const std::vector<float> zx = mapped(map, x), zy = mapped(map, y);
    double dot = 0;
    for (int i = 0; i < features; ++i) dot += double(zx[i]) * zy[i];
    EXPECT_NEAR(dot, std::exp(-gamma * squared), bound) << "pair " << pair << ", |x - y|^2 " << squared;
  }
}

TEST(RbfMapTest, ValuesAreBoundedBySqrtTwoOverD) {
  const RbfMap map({1.0, 64, 0}, 4);
  random::Generator rng(6, random::Stream::test);
  for (float v : mapped(map, random_point(rng, 4, 1.0)))
    EXPECT_LE(std::abs(v), std::sqrt(2.0f / 64) * 1.0001f);
}

TEST(RbfMapTest, TheSeedFixesTheMapWhateverTheThread) {
  random::Generator rng(7, random::Stream::test);
  const std::vector<float> x = random_point(rng, 8, 1.0);
  const RbfMapParams params{0.5, 256, 11};
  const std::vector<float> here = mapped(RbfMap(params, 8), x);
  std::vector<float> there;
  std::thread([&] { there = mapped(RbfMap(params, 8), x); }).join();
  ASSERT_EQ(here.size(), there.size());
  EXPECT_EQ(std::memcmp(here.data(), there.data(), here.size() * sizeof(float)), 0);
  EXPECT_NE(mapped(RbfMap({0.5, 256, 12}, 8), x), here);
}

// map_rows shares each pass over W among rows; a row's values must not depend on the rows beside it, their
// number (tails of the row groups and of the column tiles: 70 rows, 100 features) or the thread.
TEST(RbfMapTest, ARowMapsToTheSameBitsAloneAndInABlock) {
  const int d = 37, features = 100, rows = 70;
  const RbfMap map({0.3, features, 2}, d);
  random::Generator rng(8, random::Stream::test);
  std::vector<float> x;
  for (int r = 0; r < rows; ++r) {
    const std::vector<float> row = random_point(rng, d, 1.0);
    x.insert(x.end(), row.begin(), row.end());
  }
  std::vector<float> block(std::size_t(rows) * features, -7.0f), tail(std::size_t(3) * features, -7.0f);
  map.map_rows(x.data(), rows, block.data());
  std::thread([&] { map.map_rows(x.data() + std::size_t(67) * d, 3, tail.data()); }).join();
  for (int r = 0; r < rows; ++r) {
    const std::vector<float> alone =
        mapped(map, std::vector<float>(x.begin() + r * d, x.begin() + (r + 1) * d));
    EXPECT_EQ(std::memcmp(alone.data(), block.data() + std::size_t(r) * features, features * sizeof(float)),
              0)
        << "row " << r;
    if (r >= 67) {
      EXPECT_EQ(
          std::memcmp(alone.data(), tail.data() + std::size_t(r - 67) * features, features * sizeof(float)),
          0)
          << "row " << r << " in a group of 3";
    }
  }
}

TEST(RbfMapTest, SpecsRoundTripAndBadParametersAreRefused) {
  EXPECT_TRUE(is_random_feature_spec("rbf(gamma=2)"));
  EXPECT_TRUE(is_random_feature_spec("rbf"));
  EXPECT_FALSE(is_random_feature_spec("chi2"));
  const RbfMapParams p = parse_rbf_map("rbf(dim=300,gamma=0.25,seed=9)");
  EXPECT_EQ(p.dim, 300);
  EXPECT_EQ(p.gamma, 0.25);
  EXPECT_EQ(p.seed, 9u);
  EXPECT_EQ(parse_rbf_map(to_spec(p)).dim, 300);
  const auto message = [](const std::string& spec) {
    try {
      parse_rbf_map(spec);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("rbf(gamma=0)").find("gamma must be a finite number > 0"), std::string::npos);
  EXPECT_NE(message("rbf(gamma=-1)").find("gamma must be"), std::string::npos);
  EXPECT_NE(message("rbf(gamma=nan)").find("gamma"), std::string::npos);
  EXPECT_NE(message("rbf(dim=0)").find("dim must be in [1, 1048576]"), std::string::npos);
  EXPECT_NE(message("rbf(seed=-3)").find("seed must be a whole number"), std::string::npos);
  EXPECT_NE(message("rbf(gama=1)").find("did you mean 'gamma'"), std::string::npos);
  EXPECT_THROW(RbfMap({1.0, 0, 0}, 3), std::invalid_argument);
}

}  // namespace
}  // namespace featpipe::vocab
