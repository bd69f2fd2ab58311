#include "featpipe/classify/regularizer.h"

#include <gtest/gtest.h>

#include "featpipe/classify/dropout.h"

namespace featpipe::classify {
namespace {

const RowMatrix<double> kW{{1.0, -2.0}, {0.5, 0.0}};

TEST(Regularizer, L2) {
  RowMatrix<double> dW = RowMatrix<double>::Constant(2, 2, 1.0);  // penalties add to the data gradient
  EXPECT_DOUBLE_EQ(l2_penalty<double>(kW, 0.1, dW), 0.1 * (1 + 4 + 0.25));
  EXPECT_TRUE(dW.isApprox(RowMatrix<double>::Constant(2, 2, 1.0) + 0.2 * kW));
}

TEST(Regularizer, L1HasZeroSubgradientAtZero) {
  RowMatrix<double> dW = RowMatrix<double>::Zero(2, 2);
  EXPECT_DOUBLE_EQ(l1_penalty<double>(kW, 0.1, dW), 0.1 * 3.5);
  EXPECT_TRUE(dW.isApprox(RowMatrix<double>{{0.1, -0.1}, {0.1, 0.0}}));
}

TEST(Regularizer, ElasticNetMixesL1AndL2) {
  RowMatrix<double> d1 = RowMatrix<double>::Zero(2, 2), d2 = d1, de = d1;
  const double expected = l1_penalty<double>(kW, 0.03, d1) + l2_penalty<double>(kW, 0.07, d2);
  EXPECT_DOUBLE_EQ(elastic_net_penalty<double>(kW, 0.1, 0.3, de), expected);
  EXPECT_TRUE(de.isApprox(d1 + d2));
}

TEST(Regularizer, NoneLeavesTheGradientAlone) {
  RowMatrix<double> dW = RowMatrix<double>::Constant(2, 2, 3.0);
  EXPECT_EQ(penalty<double>({RegKind::none, 1.0}, kW, dW), 0.0);
  EXPECT_TRUE(dW.isApprox(RowMatrix<double>::Constant(2, 2, 3.0)));
  for (const auto& entry : regularizer_registry()) EXPECT_EQ(parse_reg(to_string(entry.value)), entry.value);
  EXPECT_THROW(parse_reg("l3"), std::invalid_argument);
  EXPECT_TRUE(validate(RegParams{RegKind::l2, -1.0}).has_value());
}

TEST(Dropout, KeepsAboutOneMinusPAndScalesTheKept) {
  RowMatrix<float> x = RowMatrix<float>::Ones(200, 101);
  inverted_dropout(x, 0.25, 42, 0);
  const double kept = (x.array() != 0).cast<double>().mean();
  EXPECT_NEAR(kept, 0.75, 0.01);
  EXPECT_NEAR(x.mean(), 1.0, 0.02);  // inverted: the expectation is unchanged
  EXPECT_TRUE(((x.array() == 0) || (x.array() == 1.0f / 0.75f)).all());
  RowMatrix<float> again = RowMatrix<float>::Ones(200, 101);
  inverted_dropout(again, 0.25, 42, 0);
  EXPECT_EQ(x, again);
  RowMatrix<float> other = RowMatrix<float>::Ones(200, 101);
  inverted_dropout(other, 0.25, 42, 1);
  EXPECT_NE(x, other);
}

TEST(Dropout, ZeroProbabilityIsTheIdentity) {
  RowMatrix<float> x = RowMatrix<float>::Random(3, 4), copy = x;
  inverted_dropout(x, 0.0, 1, 0);
  EXPECT_EQ(x, copy);
}

}  // namespace
}  // namespace featpipe::classify
