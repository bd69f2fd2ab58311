// The statistics of the compare report against values worked out by hand and, where Debian's scipy is
// installed, against scipy.stats (binomtest and its Wilson interval).
#include "featpipe/pipelines/report_statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>

namespace featpipe::pipelines {
namespace {

// Relative to the value's magnitude: the sums run in a different order than scipy's.
void expect_close(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::max(1.0, std::abs(expected))) << what;
}

TEST(ReportStatistics, WilsonIntervalMatchesHandComputedValues) {
  // 8 of 10: centre (0.8 + z²/20) / (1 + z²/10) = 0.71674, half-width 0.22658
  const Interval eight = wilson_interval(8, 10);
  EXPECT_NEAR(eight.low, 0.490160, 1e-5);
  EXPECT_NEAR(eight.high, 0.943318, 1e-5);
  // 0 of 10: the lower end is 0, the upper z² / (n + z²)
  const Interval none = wilson_interval(0, 10);
  EXPECT_NEAR(none.low, 0.0, 1e-12);
  EXPECT_NEAR(none.high, 3.841459 / 13.841459, 1e-6);
  const Interval all = wilson_interval(10, 10);
  EXPECT_NEAR(all.high, 1.0, 1e-12);
  EXPECT_NEAR(all.low, 1 - 3.841459 / 13.841459, 1e-6);
  // more images, a narrower interval around the same share
  const Interval many = wilson_interval(800, 1000);
  EXPECT_LT(many.high - many.low, eight.high - eight.low);
  EXPECT_LT(many.low, 0.8);
  EXPECT_GT(many.high, 0.8);
}

TEST(ReportStatistics, McNemarExactPValueMatchesHandComputedValues) {
  // 1 vs 9 discordant: 2 (C(10,0) + C(10,1)) / 2^10 = 22 / 1024
  expect_close(mcnemar_exact_p(1, 9), 22.0 / 1024, "1 vs 9");
  expect_close(mcnemar_exact_p(9, 1), 22.0 / 1024, "9 vs 1");
  expect_close(mcnemar_exact_p(0, 5), 2.0 / 32, "0 vs 5");
  expect_close(mcnemar_exact_p(4, 4), 1.0, "equal");
  expect_close(mcnemar_exact_p(0, 0), 1.0, "no discordant pair");
  expect_close(mcnemar_exact_p(2, 3), 1.0, "2 (1+5+10)/32 > 1 is capped");
  // thousands of discordant pairs do not underflow to 0 nor lose the tail
  const double p = mcnemar_exact_p(1000, 1100);
  EXPECT_GT(p, 0.01);
  EXPECT_LT(p, 0.05);
}

TEST(ReportStatistics, PerClassAccuracyAndConfusedPairs) {
  const std::vector<int32_t> truth = {0, 0, 0, 0, 1, 1, 2, 2, 2, 2};
  const std::vector<int32_t> predicted = {0, 0, 1, 2, 1, 0, 1, 1, 1, 2};
  const std::vector<double> acc = per_class_accuracy(truth, predicted, 4);
  ASSERT_EQ(acc.size(), 4u);
  EXPECT_DOUBLE_EQ(acc[0], 0.5);
  EXPECT_DOUBLE_EQ(acc[1], 0.5);
  EXPECT_DOUBLE_EQ(acc[2], 0.25);
  EXPECT_TRUE(std::isnan(acc[3])) << "a class without images has no accuracy";

  // true 2 -> 1 three times, then the single confusions in row-major order
  const std::vector<std::vector<int64_t>> confusion = {{2, 1, 1}, {1, 1, 0}, {0, 3, 1}};
  const std::vector<ConfusedPair> pairs = most_confused_pairs(confusion, 3);
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0].true_class, 2);
  EXPECT_EQ(pairs[0].predicted, 1);
  EXPECT_EQ(pairs[0].count, 3);
  EXPECT_EQ(pairs[1].true_class, 0);
  EXPECT_EQ(pairs[1].predicted, 1);
  EXPECT_EQ(pairs[2].true_class, 0);
  EXPECT_EQ(pairs[2].predicted, 2);
  EXPECT_EQ(most_confused_pairs(confusion, 10).size(), 4u) << "only the cells that are not 0";
  EXPECT_TRUE(most_confused_pairs({{5, 0}, {0, 5}}, 3).empty());
}

/// scipy's answer for each "k n" line: the two-sided binomtest p-value at 1/2 and the Wilson interval.
std::string scipy(const std::string& cases) {
  const std::string script =
      "import sys, scipy.stats as s\n"
      "for line in sys.argv[1].split(';'):\n"
      "    k, n = map(int, line.split())\n"
      "    r = s.binomtest(k, n, 0.5)\n"
      "    ci = r.proportion_ci(0.95, method='wilson')\n"
      "    print(repr(r.pvalue), repr(ci.low), repr(ci.high))\n";
  const std::string command = "/usr/bin/python3 -c \"" + script + "\" '" + cases + "' 2>/dev/null";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  return ::pclose(pipe) == 0 ? out : "";
}

TEST(ReportStatistics, AgreesWithScipy) {
  if (std::system("/usr/bin/python3 -c 'import scipy.stats' 2>/dev/null") != 0) {
    GTEST_SKIP() << "scipy is not installed under /usr/bin/python3 (python3-scipy)";
  }
  // (k, n): k the smaller discordant count for McNemar, k successes of n for Wilson
  const std::vector<std::pair<int64_t, int64_t>> cases = {{0, 1},   {1, 10},    {3, 17},     {12, 40},
                                                          {20, 40}, {45, 1000}, {480, 1000}, {1000, 2100}};
  std::string text;
  for (const auto& [k, n] : cases)
    text += (text.empty() ? "" : ";") + std::to_string(k) + " " + std::to_string(n);
  std::istringstream answers(scipy(text));
  for (const auto& [k, n] : cases) {
    double p = 0, low = 0, high = 0;
    ASSERT_TRUE(answers >> p >> low >> high) << "scipy gave no answer for " << k << " of " << n;
    const std::string what = std::to_string(k) + " of " + std::to_string(n);
    expect_close(mcnemar_exact_p(k, n - k), p, "McNemar " + what);
    const Interval ci = wilson_interval(k, n);
    EXPECT_NEAR(ci.low, low, 1e-9) << "Wilson low " << what;
    EXPECT_NEAR(ci.high, high, 1e-9) << "Wilson high " << what;
  }
}

}  // namespace
}  // namespace featpipe::pipelines
