#include "featpipe/pipelines/report_statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace featpipe::pipelines {

Interval wilson_interval(int64_t successes, int64_t n) {
  if (n <= 0) return {0, 1};
  constexpr double z = 1.959963984540054;  // the 97.5% quantile of the standard normal
  const double p = double(successes) / double(n), nn = double(n), z2 = z * z;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = z / (1 + z2 / nn) * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double mcnemar_exact_p(int64_t b, int64_t c) {
  const int64_t n = b + c, low = std::min(b, c);
  if (b == c) return 1;
  // P(X <= low) summed in log space: C(n, i) / 2^n underflows a double for a few thousand discordant pairs.
  const double log_half_n = double(n) * std::log(0.5);
  const double log_n_factorial = std::lgamma(double(n) + 1);
  double tail = 0;
  for (int64_t i = 0; i <= low; ++i) {
    const double log_choose = log_n_factorial - std::lgamma(double(i) + 1) - std::lgamma(double(n - i) + 1);
    tail += std::exp(log_choose + log_half_n);
  }
  return std::min(1.0, 2 * tail);
}

std::vector<double> per_class_accuracy(std::span<const int32_t> truth, std::span<const int32_t> predicted,
                                       int classes) {
  std::vector<int64_t> right(static_cast<std::size_t>(classes), 0), total = right;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    ++total[std::size_t(truth[i])];
    right[std::size_t(truth[i])] += truth[i] == predicted[i] ? 1 : 0;
  }
  std::vector<double> share(static_cast<std::size_t>(classes));
  for (std::size_t k = 0; k < share.size(); ++k) {
    share[k] = total[k] ? double(right[k]) / double(total[k]) : std::numeric_limits<double>::quiet_NaN();
  }
  return share;
}

std::vector<ConfusedPair> most_confused_pairs(const std::vector<std::vector<int64_t>>& confusion, int top) {
  std::vector<ConfusedPair> pairs;
  for (std::size_t t = 0; t < confusion.size(); ++t) {
    for (std::size_t p = 0; p < confusion[t].size(); ++p) {
      if (t != p && confusion[t][p] > 0) pairs.push_back({int(t), int(p), confusion[t][p]});
    }
  }
  // stable: equal counts keep the row-major order, the lower true class first
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const ConfusedPair& a, const ConfusedPair& b) { return a.count > b.count; });
  if (pairs.size() > std::size_t(std::max(top, 0))) pairs.resize(std::size_t(std::max(top, 0)));
  return pairs;
}

}  // namespace featpipe::pipelines
