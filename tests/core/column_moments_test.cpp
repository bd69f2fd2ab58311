// Streaming column statistics against a two-pass computation in double, for any cut into blocks, with a
// large mean, NaN and infinities.
#include "featpipe/core/column_moments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "featpipe/core/random.h"

namespace featpipe {
namespace {

RowMatrix<float> random_rows(int n, int d, float offset, uint64_t seed) {
  random::Generator g(seed, random::Stream::test);
  RowMatrix<float> x(n, d);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < d; ++c) x(r, c) = offset + static_cast<float>((c + 1) * g.normal());
  return x;
}

TEST(ColumnMoments, MatchTwoPassesInDoubleForAnyBlocks) {
  const RowMatrix<float> x = random_rows(1000, 5, 1e4f, 1);  // a large mean: M2 must not cancel
  for (int block : {1, 7, 32, 1000}) {
    ColumnMoments m(5);
    for (int begin = 0; begin < 1000; begin += block)
      m.add_block(x.middleRows(begin, std::min(block, 1000 - begin)));
    EXPECT_EQ(m.rows(), 1000u);
    EXPECT_TRUE(m.all_finite());
    for (int c = 0; c < 5; ++c) {
      const Eigen::ArrayXd v = x.col(c).cast<double>().array();
      const double mean = v.mean(), sd = std::sqrt((v - mean).square().mean());
      EXPECT_NEAR(m.column(c).mean, mean, 1e-9 * std::abs(mean)) << block;
      EXPECT_NEAR(m.column(c).std_dev(), sd, 1e-5 * sd) << block;
      EXPECT_EQ(m.column(c).min, v.minCoeff());
      EXPECT_EQ(m.column(c).max, v.maxCoeff());
      EXPECT_EQ(m.column(c).n, 1000u);
    }
  }
}

TEST(ColumnMoments, NonFiniteValuesAreCountedApart) {
  RowMatrix<float> x = random_rows(100, 3, 0, 2);
  x(5, 1) = std::numeric_limits<float>::quiet_NaN();
  x(7, 1) = std::numeric_limits<float>::infinity();
  x(9, 2) = -std::numeric_limits<float>::infinity();
  ColumnMoments m(3);
  m.add_block(x.topRows(50));
  m.add_block(x.bottomRows(50));
  EXPECT_FALSE(m.all_finite());
  EXPECT_EQ(m.column(0).n, 100u);
  EXPECT_EQ(m.column(1).n, 98u);
  EXPECT_EQ(m.column(1).nan, 1u);
  EXPECT_EQ(m.column(1).inf, 1u);
  EXPECT_EQ(m.column(2).inf, 1u);
  EXPECT_TRUE(std::isfinite(m.column(1).mean));
  EXPECT_TRUE(std::isfinite(m.column(1).std_dev()));
  const Moments all = m.overall();
  EXPECT_EQ(all.n, 297u);
  EXPECT_EQ(all.nan + all.inf, 3u);
}

TEST(ColumnMoments, HugeFiniteValuesStillGiveTheirStd) {
  RowMatrix<float> x(4, 1);
  x << 3e37f, -3e37f, 3e37f, -3e37f;  // float squares overflow; double ones do not
  ColumnMoments m(1);
  m.add_block(x);
  EXPECT_TRUE(m.all_finite());
  EXPECT_NEAR(m.column(0).std_dev(), 3e37, 3e30);
}

}  // namespace
}  // namespace featpipe
