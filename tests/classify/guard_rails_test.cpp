// The guard rails of a trained model: each rule trips on the side of its threshold the header states and
// stays silent on the other, and its message carries the numbers and the advice a user acts on.
#include "featpipe/classify/guard_rails.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace featpipe::classify {
namespace {

bool has(const std::optional<std::string>& warning, const std::string& needle) {
  return warning && warning->find(needle) != std::string::npos;
}

TEST(GuardRails, PlannedUpdatesCountPartialBatchesAndPreferIterations) {
  EXPECT_EQ(planned_updates(5, 0, 108, 256), 5);  // the folder complaint: one partial batch an epoch
  EXPECT_EQ(planned_updates(3, 0, 100, 16), 3 * 7);
  EXPECT_EQ(planned_updates(3, 0, 96, 16), 3 * 6);
  EXPECT_EQ(planned_updates(3, 40, 96, 16), 40);
}

TEST(GuardRails, FewUpdatesNameTheCountAndTheAdvice) {
  const auto w = few_updates_warning(5, 5, 1);
  EXPECT_TRUE(has(w, "only 5 SGD updates (5 epochs x 1 batches)")) << w.value_or("");
  EXPECT_TRUE(has(w, "--epochs"));
  EXPECT_TRUE(has(w, "--batch"));
  EXPECT_TRUE(few_updates_warning(kFewUpdates - 1, 1, kFewUpdates - 1));
  EXPECT_FALSE(few_updates_warning(kFewUpdates, 1, kFewUpdates));
}

TEST(GuardRails, BinomialNoiseIsTheStandardErrorOfAnAccuracy) {
  EXPECT_NEAR(binomial_noise(0.5, 100), 0.05, 1e-12);
  EXPECT_NEAR(binomial_noise(0.9, 400), std::sqrt(0.09 / 400), 1e-12);
  EXPECT_EQ(binomial_noise(1.0, 50), 0.0);
  EXPECT_EQ(binomial_noise(0.5, 0), 0.0);
}

TEST(GuardRails, SmallValidationSetsAreFlagged) {
  EXPECT_TRUE(has(small_validation_warning(12), "12 rows"));
  EXPECT_TRUE(small_validation_warning(kSmallValidation - 1));
  EXPECT_FALSE(small_validation_warning(kSmallValidation));
}

TEST(GuardRails, AGridWithinTheNoiseIsFlagged) {
  // 0.917 vs 0.89 on 1000 rows: twice the noise is 2 sqrt(0.917 * 0.083 / 1000) = 0.0175 < 0.027
  EXPECT_FALSE(indistinct_grid_warning(0.917, 0.89, 1000));
  // a spread of 0.017 on the same rows: within twice the noise
  EXPECT_TRUE(has(indistinct_grid_warning(0.917, 0.9, 1000), "sqrt(p(1-p)/n)"));
  // the spread of 0.027 on 100 rows: twice the noise is 0.055
  EXPECT_TRUE(has(indistinct_grid_warning(0.917, 0.89, 100), "100 validation rows"));
  EXPECT_TRUE(indistinct_grid_warning(0.8, 0.8, 5000));  // all runs alike
}

TEST(GuardRails, TheBestOnTheEdgeOfARangeAsksToWidenIt) {
  EXPECT_TRUE(has(grid_edge_warning(0, 3, "--lr-range", 1e-4), "low end of --lr-range"));
  EXPECT_TRUE(has(grid_edge_warning(2, 3, "--lambda-range", 1e-2), "high end of --lambda-range"));
  EXPECT_TRUE(has(grid_edge_warning(2, 3, "--lr-range", 1e-2), "widen --lr-range"));
  EXPECT_FALSE(grid_edge_warning(1, 3, "--lr-range", 1e-3));
  EXPECT_FALSE(grid_edge_warning(0, 1, "--lr-range", 1e-3));  // a single point has no range to widen
}

TEST(GuardRails, DivergenceIsANonFiniteOrAFarHigherFinalLoss) {
  const double chance = std::log(3.0);
  EXPECT_FALSE(divergence(1.1, 0.3, chance));
  EXPECT_FALSE(divergence(1.1, 1.2, chance));  // no progress is not divergence
  EXPECT_TRUE(has(divergence(1.1, 1079, chance), "diverged"));
  EXPECT_TRUE(divergence(1.1, std::numeric_limits<double>::infinity(), chance));
  EXPECT_TRUE(divergence(1.1, std::nan(""), chance));
  // the reference is the larger of the initial and the chance loss
  EXPECT_FALSE(divergence(0.5, 2.0, 2.0));
  EXPECT_TRUE(divergence(0.5, 4.1, 2.0));
}

}  // namespace
}  // namespace featpipe::classify
