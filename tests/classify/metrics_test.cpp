#include "featpipe/classify/metrics.h"

#include <gtest/gtest.h>

namespace featpipe::classify {
namespace {

TEST(Metrics, ConfusionPrecisionRecallF1) {
  const std::vector<int32_t> truth{0, 0, 0, 1, 1, 2};
  const std::vector<int32_t> predicted{0, 0, 1, 1, 0, 0};
  const ClassificationReport r = classification_report(truth, predicted, 3);
  EXPECT_DOUBLE_EQ(r.accuracy, 3.0 / 6.0);
  const std::vector<std::vector<int64_t>> confusion{{2, 1, 0}, {1, 1, 0}, {1, 0, 0}};
  EXPECT_EQ(r.confusion, confusion);
  EXPECT_DOUBLE_EQ(r.precision[0], 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(r.recall[0], 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.f1[0], 2 * 0.5 * (2.0 / 3.0) / (0.5 + 2.0 / 3.0));
  EXPECT_DOUBLE_EQ(r.precision[1], 0.5);
  EXPECT_DOUBLE_EQ(r.recall[1], 0.5);
  EXPECT_DOUBLE_EQ(r.precision[2], 0.0);  // never predicted
  EXPECT_DOUBLE_EQ(r.f1[2], 0.0);
  EXPECT_EQ(r.support, (std::vector<int64_t>{3, 2, 1}));
}

TEST(Metrics, RejectsBadInput) {
  const std::vector<int32_t> a{0, 1}, b{0}, c{0, 3};
  EXPECT_THROW(classification_report(a, b, 2), std::invalid_argument);
  EXPECT_THROW(classification_report(a, c, 2), std::invalid_argument);
}

}  // namespace
}  // namespace featpipe::classify
