#include "featpipe/classify/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <utility>

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
                      Case{OptimizerKind::rmsprop, 0.01, 0.0}, Case{OptimizerKind::adam, 0.05, 0.9},
                      Case{OptimizerKind::asgd, 0.1, 0.8}),
    [](const auto& info) { return to_string(info.param.kind); });

TEST_P(OptimizerTest, AStepInRangesIsTheWholeStep) {
  // begin_step, then the ranges in any order (as threads take them): the same parameters and state as
  // step() after every one of several steps
  const Eigen::Index n = 45;
  OptimizerParams p{GetParam().kind};
  auto whole = make_optimizer(p, n), parts = make_optimizer(p, n);
  Eigen::VectorXf x = Eigen::VectorXf::LinSpaced(n, -2.0f, 3.0f), y = x;
  for (int t = 0; t < 6; ++t) {
    const Eigen::VectorXf g = (x.array() * 0.7f + static_cast<float>(t) - 1.0f).sin().matrix();
    whole->step(x, g, 0.05f);
    parts->begin_step();
    for (auto [begin, end] : {std::pair{17, 30}, std::pair{0, 17}, std::pair{30, 44}, std::pair{44, 45}})
      parts->update(y.data(), g.data(), 0.05f, begin, end);
    for (Eigen::Index i = 0; i < n; ++i)
      ASSERT_NEAR(y[i], x[i], 1e-6f * (1 + std::abs(x[i])))
          << to_string(p.kind) << " step " << t << " [" << i << "]";
  }
  const auto a = whole->state_vectors(), b = parts->state_vectors();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t v = 0; v < a.size(); ++v) EXPECT_TRUE(a[v]->isApprox(*b[v], 1e-6f)) << to_string(p.kind);
  if (whole->step_count()) {
    EXPECT_EQ(*whole->step_count(), *parts->step_count());
  }
}

// x = 1, g = 2, lr 0.1: the iterates are 0.8, 0.6, 0.4, 0.2, 0; the average is their mean from the step
// after average_start_step on, and the iterate itself until then.
TEST(Optimizer, AsgdAveragesTheIteratesAfterItsStart) {
  for (const auto& [start, mean] :
       {std::pair{0, 0.4f}, std::pair{2, 0.2f}, std::pair{4, 0.0f}, std::pair{9, 0.0f}}) {
    OptimizerParams p{OptimizerKind::asgd};
    p.average_start_step = start;
    auto opt = make_optimizer(p, 1);
    Eigen::VectorXf x(1), g(1);
    x << 1.0f;
    g << 2.0f;
    for (int t = 0; t < 5; ++t) opt->step(x, g, 0.1f);
    EXPECT_NEAR(x[0], 0.0f, 1e-6f);
    ASSERT_NE(opt->averaged(), nullptr);
    EXPECT_NEAR((*opt->averaged())[0], mean, 1e-6f) << "start " << start;
    EXPECT_EQ(*opt->step_count(), 5);
  }
  EXPECT_EQ(make_optimizer({OptimizerKind::adam}, 1)->averaged(), nullptr);
}

TEST(Optimizer, NamesRoundTrip) {
  for (const auto& entry : optimizer_registry()) {
    EXPECT_EQ(parse_optimizer(to_string(entry.value)), entry.value);
  }
  EXPECT_EQ(all_optimizers().size(), optimizer_registry().size());
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
  for (const auto& entry : schedule_registry())
    EXPECT_EQ(parse_schedule(to_string(entry.value)), entry.value);
  EXPECT_THROW(parse_schedule("linear"), std::invalid_argument);
  EXPECT_TRUE(validate(ScheduleParams{ScheduleKind::step, 0}).has_value());
}

}  // namespace
}  // namespace featpipe::classify
