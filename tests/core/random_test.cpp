// The random module: Philox4x32-10 against the published known-answer vectors (Random123's kat_vectors),
// then every distribution pinned to fixed values, so that a change of the numbers a seed gives, and with
// it of every store a seed makes, is a decision and never an accident.
#include "featpipe/core/random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

namespace featpipe::random {
namespace {

TEST(Philox, KnownAnswerVectors) {
  using W = std::array<uint32_t, 4>;
  EXPECT_EQ(philox4x32({0, 0, 0, 0}, {0, 0}), (W{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(philox4x32({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
            (W{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(philox4x32({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
            (W{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Generator, BitsAreTheCounterBlocks) {
  // draw d of (seed, stream, item) is philox4x32((d, item lo, item hi, stream), seed), two words a number
  const uint64_t seed = 0x0123456789abcdefULL, item = 0xfedcba9876543210ULL;
  Generator g(seed, Stream::test, item);
  for (uint32_t d = 0; d < 3; ++d) {
    const auto block = philox4x32({d, uint32_t(item), uint32_t(item >> 32), uint32_t(Stream::test)},
                                  {uint32_t(seed), uint32_t(seed >> 32)});
    EXPECT_EQ(g.next(), uint64_t(block[0]) | uint64_t(block[1]) << 32);
    EXPECT_EQ(g.next(), uint64_t(block[2]) | uint64_t(block[3]) << 32);
  }
}

TEST(Generator, PinnedValues) {
  Generator g(42, Stream::test, 7);
  EXPECT_EQ(g.next(), uint64_t{14547902717290172940ULL});
  EXPECT_EQ(g.uniform(), 0x1.92b8ba1688494p-2);
  EXPECT_EQ(g.below(1000), uint64_t{638});
  // the polar method calls std::log and std::sqrt: pinned to the last bits of glibc's, within an ulp or two
  // elsewhere
  EXPECT_NEAR(g.normal(), 0.67332986548473295, 1e-15);
  EXPECT_NEAR(g.normal(), -0.17646595634963635, 1e-15);

  Generator p(1, Stream::test);
  EXPECT_EQ(permutation(10, p), (std::vector<int64_t>{6, 7, 5, 8, 2, 9, 0, 4, 3, 1}));
  Generator s(1, Stream::test);
  EXPECT_EQ(sample_sorted(100, 5, s), (std::vector<int64_t>{19, 63, 67, 80, 84}));
  EXPECT_EQ(sample_sorted(10, 7, s), (std::vector<int64_t>{0, 2, 3, 4, 6, 7, 8}));
}

TEST(Generator, SeedsStreamsAndItemsAreIndependent) {
  const uint64_t a = Generator(1, Stream::test, 0).next();
  EXPECT_NE(a, Generator(2, Stream::test, 0).next());
  EXPECT_NE(a, Generator(1, Stream::holdout, 0).next());
  EXPECT_NE(a, Generator(1, Stream::test, 1).next());
  EXPECT_NE(a, Generator(1, Stream::test, uint64_t(1) << 32).next());  // the item's high half counts
  EXPECT_EQ(a, Generator(1, Stream::test, 0).next());
}

TEST(Generator, Distributions) {
  Generator g(3, Stream::test);
  constexpr int n = 200000;
  double sum = 0, sum_sq = 0, normal_sum = 0, normal_sq = 0;
  std::vector<int> bins(7, 0);
  for (int i = 0; i < n; ++i) {
    const double u = g.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum_sq += u * u;
    ++bins[g.below(7)];
    const double z = g.normal();
    normal_sum += z;
    normal_sq += z * z;
  }
  // means within 5 standard errors
  EXPECT_NEAR(sum / n, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(sum_sq / n, 1.0 / 3, 5 * std::sqrt(4.0 / 45 / n));
  EXPECT_NEAR(normal_sum / n, 0.0, 5 * std::sqrt(1.0 / n));
  EXPECT_NEAR(normal_sq / n, 1.0, 5 * std::sqrt(2.0 / n));
  double chi2 = 0;
  for (int b : bins) chi2 += (b - n / 7.0) * (b - n / 7.0) / (n / 7.0);
  EXPECT_LT(chi2, 22.46);  // chi-squared with 6 degrees of freedom, p = 0.001
  EXPECT_THROW(g.below(0), std::invalid_argument);
}

TEST(Generator, ShuffleAndSampleAreUniformPermutationsAndSubsets) {
  std::vector<std::vector<int>> first_counts(6, std::vector<int>(6, 0));
  for (uint64_t item = 0; item < 6000; ++item) {
    Generator g(9, Stream::test, item);
    const std::vector<int64_t> p = permutation(6, g);
    ASSERT_TRUE(std::is_permutation(p.begin(), p.end(), std::vector<int64_t>{0, 1, 2, 3, 4, 5}.begin()));
    for (int i = 0; i < 6; ++i) ++first_counts[i][p[i]];
  }
  for (const auto& row : first_counts)
    for (int c : row) EXPECT_NEAR(c, 1000, 150);  // each value lands at each place 1/6 of the time

  for (std::size_t k : {std::size_t(0), std::size_t(1), std::size_t(30), std::size_t(99), std::size_t(100)}) {
    Generator g(4, Stream::test, k);
    const std::vector<int64_t> s = sample_sorted(100, k, g);
    ASSERT_EQ(s.size(), k);
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
    EXPECT_EQ(std::set<int64_t>(s.begin(), s.end()).size(), k);
    if (k > 0) {
      EXPECT_GE(s.front(), 0);
      EXPECT_LT(s.back(), 100);
    }
  }
  Generator g(4, Stream::test);
  EXPECT_THROW(sample_sorted(3, 4, g), std::invalid_argument);
}

}  // namespace
}  // namespace featpipe::random
