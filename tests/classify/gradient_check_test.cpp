#include "featpipe/classify/gradient_check.h"

#include <gtest/gtest.h>

namespace featpipe::classify {
namespace {

TEST(GradientCheck, EveryLossAndRegulariserPasses) {
  const std::vector<GradientCheckRow> rows = gradient_check({});
  ASSERT_EQ(rows.size(), all_losses().size() * all_regs().size());
  for (const GradientCheckRow& r : rows) {
    const std::string name = to_string(r.loss) + " x " + to_string(r.reg);
    EXPECT_LT(r.data_error, kGradientTolerance) << name;
    EXPECT_LT(r.reg_error, kGradientTolerance) << name;
    EXPECT_LT(r.total_error, kGradientTolerance) << name;
  }
}

TEST(GradientCheck, PassesForOtherSeedsAndShapes) {
  GradientCheckParams p;
  p.seed = 7;
  p.rows = 20;
  p.dim = 3;
  p.classes = 10;
  p.delta = 0.5;
  for (const GradientCheckRow& r : gradient_check(p)) {
    EXPECT_LT(r.total_error, kGradientTolerance) << to_string(r.loss) << " x " << to_string(r.reg);
  }
}

TEST(GradientCheck, DetectsAWrongGradient) {
  // f = sum x^3 with the gradient off by 1%
  const Objective wrong = [](const Eigen::VectorXd& x, Eigen::VectorXd* g) {
    if (g) *g = 3.03 * x.array().square();
    return x.array().cube().sum();
  };
  const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(5, 0.5, 2.0);
  EXPECT_GT(max_gradient_error(wrong, x, 1e-5), 1e-3);
}

TEST(GradientCheck, RelativeError) {
  EXPECT_DOUBLE_EQ(relative_error(1.0, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(relative_error(1.0, 3.0), 0.5);
  EXPECT_DOUBLE_EQ(relative_error(0.0, 0.0), 0.0);
}

}  // namespace
}  // namespace featpipe::classify
