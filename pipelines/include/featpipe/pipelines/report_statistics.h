#pragma once
// The statistics of the compare report: how sure an accuracy measured on n test images is (Wilson score
// interval), whether two models differ on the same images beyond chance (McNemar's exact test), and where
// they differ (per-class accuracy, the most confused class pairs).
#include <cstdint>
#include <span>
#include <vector>

namespace featpipe::pipelines {

struct Interval {
  double low = 0, high = 0;
};

/// The 95% Wilson score interval of a proportion of `successes` out of `n` (n > 0; {0, 1} for n = 0): unlike
/// the normal approximation it stays inside [0, 1] and is sound near 0 and 1 and for small n.
Interval wilson_interval(int64_t successes, int64_t n);

/// McNemar's exact test of two classifiers on the same images: b images only the first got right, c only
/// the second. Two-sided exact binomial p-value of min(b, c) under Binomial(b + c, 1/2), i.e.
/// min(1, 2 P(X <= min(b, c))) (1 when b == c, as scipy.stats.binomtest).
double mcnemar_exact_p(int64_t b, int64_t c);

/// Per class, the share of its images classified right (recall); NaN for a class without images.
std::vector<double> per_class_accuracy(std::span<const int32_t> truth, std::span<const int32_t> predicted,
                                       int classes);

struct ConfusedPair {
  int true_class = 0, predicted = 0;
  int64_t count = 0;
};

/// The `top` off-diagonal cells of a confusion matrix (row = true class) with the most images, most first
/// (ties: the lower true class, then the lower predicted class); cells of 0 left out.
std::vector<ConfusedPair> most_confused_pairs(const std::vector<std::vector<int64_t>>& confusion, int top);

}  // namespace featpipe::pipelines
