#include "featpipe/classify/optimizer.h"

#include <gtest/gtest.h>

#include "featpipe/classify/schedule.h"

namespace featpipe::classify {
namespace {

struct Case {
  OptimizerKind kind;
  double lr;
  double first_step;  // x after one step from x = 1 with g = 2, lr 0.1, default params (by hand)
};

class OptimizerTest : public ::testing::TestWithParam<Case> {};

TEST_P(OptimizerTest, FirstStepMatchesTheFormula) {
  auto opt = make_optimizer({GetParam().kind}, 1);
  Eigen::VectorXf x(1), g(1);
  x << 1.0f;
  g << 2.0f;
  opt->step(x, g, 0.1f);
  EXPECT_NEAR(x[0], GetParam().first_step, 1e-6) << to_string(GetParam().kind);
}

TEST_P(OptimizerTest, ReachesTheOptimumOfAConvexQuadratic) {
  // f(x) = 1/2 (x - x*)^T A (x - x*) with condition number 10; the gradient is A (x - x*)
  const Eigen::VectorXf curvature = Eigen::Vector3f(1.0f, 4.0f, 10.0f);
  const Eigen::VectorXf optimum = Eigen::Vector3f(1.0f, -2.0f, 3.0f);
  auto opt = make_optimizer({GetParam().kind}, 3);
  Eigen::VectorXf x = Eigen::VectorXf::Zero(3), g(3);
  const ScheduleParams decay{ScheduleKind::exp, 1, 0.999, 0};
  for (int t = 0; t < 5000; ++t) {
    g = curvature.cwiseProduct(x - optimum);
    opt->step(x, g, static_cast<float>(learning_rate(decay, GetParam().lr, t, 5000)));
  }
  EXPECT_LT((x - optimum).norm(), 1e-3) << to_string(GetParam().kind) << ": " << x.transpose();
}

INSTANTIATE_TEST_SUITE_P(
    All, OptimizerTest,
    ::testing::Values(Case{OptimizerKind::sgd, 0.1, 0.8}, Case{OptimizerKind::momentum, 0.02, 0.8},
                      Case{OptimizerKind::nesterov, 0.02, 0.62}, Case{OptimizerKind::adagrad, 1.0, 0.9},
                      Case{OptimizerKind::rmsprop, 0.01, 0.0}, Case{OptimizerKind::adam, 0.05, 0.9}),
    [](const auto& info) { return to_string(info.param.kind); });

TEST(Optimizer, NamesRoundTrip) {
  for (OptimizerKind kind : all_optimizers()) EXPECT_EQ(parse_optimizer(to_string(kind)), kind);
  EXPECT_THROW(parse_optimizer("lbfgs"), std::invalid_argument);
  OptimizerParams bad;
  bad.momentum = 1.0;
  EXPECT_THROW(make_optimizer(bad, 3), std::invalid_argument);
}

TEST(Schedule, Values) {
  const double lr = 0.1;
  EXPECT_DOUBLE_EQ(learning_rate({ScheduleKind::constant}, lr, 7, 10), lr);
  EXPECT_DOUBLE_EQ(learning_rate({ScheduleKind::step, 3, 0.5}, lr, 2, 10), lr);
  EXPECT_DOUBLE_EQ(learning_rate({ScheduleKind::step, 3, 0.5}, lr, 3, 10), lr * 0.5);
  EXPECT_DOUBLE_EQ(learning_rate({ScheduleKind::step, 3, 0.5}, lr, 6, 10), lr * 0.25);
  EXPECT_NEAR(learning_rate({ScheduleKind::exp, 1, 0.9}, lr, 2, 10), lr * 0.81, 1e-15);
  EXPECT_DOUBLE_EQ(learning_rate({ScheduleKind::cosine, 1, 1, 0.0}, lr, 0, 10), lr);
  EXPECT_NEAR(learning_rate({ScheduleKind::cosine, 1, 1, 0.0}, lr, 5, 10), lr / 2, 1e-15);
  EXPECT_NEAR(learning_rate({ScheduleKind::cosine, 1, 1, 0.01}, lr, 10, 10), 0.01, 1e-15);
  EXPECT_EQ(parse_schedule("cosine"), ScheduleKind::cosine);
  EXPECT_THROW(parse_schedule("linear"), std::invalid_argument);
  EXPECT_TRUE(validate(ScheduleParams{ScheduleKind::step, 0}).has_value());
}

}  // namespace
}  // namespace featpipe::classify
