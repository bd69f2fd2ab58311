// Golden values: the CS231n linear-classification notes' three images (cat / car / frog scores).
#include "featpipe/classify/loss.h"

#include <gtest/gtest.h>

#include <cmath>

namespace featpipe::classify {
namespace {

struct Example {
  RowMatrix<double> scores{{3.2, 5.1, -1.7}, {1.3, 4.9, 2.0}, {2.2, 2.5, -3.1}};
  std::vector<int32_t> labels{0, 1, 2};  // cat, car, frog
};

double loss_of_row(LossKind kind, const Example& e, int row) {
  RowMatrix<double> d(1, 3);
  const RowMatrix<double> one = e.scores.row(row);
  return data_loss<double>({kind, 1.0}, one, Labels(&e.labels[row], 1), d);
}

TEST(Loss, SvmMatchesTheLectureExample) {
  const Example e;
  EXPECT_NEAR(loss_of_row(LossKind::svm, e, 0), 2.9, 1e-12);
  EXPECT_NEAR(loss_of_row(LossKind::svm, e, 1), 0.0, 1e-12);
  EXPECT_NEAR(loss_of_row(LossKind::svm, e, 2), 12.9, 1e-12);
  RowMatrix<double> d(3, 3);
  EXPECT_NEAR(svm_loss<double>(e.scores, e.labels, 1.0, d), (2.9 + 0 + 12.9) / 3, 1e-12);  // 5.27
}

TEST(Loss, SvmGradientCountsViolations) {
  const Example e;
  RowMatrix<double> d(3, 3);
  svm_loss<double>(e.scores, e.labels, 1.0, d);
  // image 1: car violates (5.1 - 3.2 + 1 > 0), frog does not; image 3: cat and car both violate
  const RowMatrix<double> expected{{-1, 1, 0}, {0, 0, 0}, {1, 1, -2}};
  EXPECT_TRUE(d.isApprox(expected / 3.0)) << d;
}

TEST(Loss, SoftmaxMatchesTheLectureExample) {
  const Example e;
  // -log(e^{s_y} / sum_j e^{s_j}), computed independently in Python
  EXPECT_NEAR(loss_of_row(LossKind::softmax, e, 0), 2.0403551528001707, 1e-12);
  EXPECT_NEAR(loss_of_row(LossKind::softmax, e, 1), 0.07913177829134899, 1e-12);
  EXPECT_NEAR(loss_of_row(LossKind::softmax, e, 2), 6.156477201664211, 1e-12);
  RowMatrix<double> d(3, 3);
  const double mean = softmax_loss<double>(e.scores, e.labels, d);
  EXPECT_NEAR(mean, (2.0403551528001707 + 0.07913177829134899 + 6.156477201664211) / 3, 1e-12);
  // each gradient row is (softmax - onehot) / n and sums to zero
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(d.row(i).sum(), 0.0, 1e-15);
}

TEST(Loss, SquaredHingeSquaresTheViolations) {
  const Example e;
  EXPECT_NEAR(loss_of_row(LossKind::squared_hinge, e, 0), 2.9 * 2.9, 1e-12);
  EXPECT_NEAR(loss_of_row(LossKind::squared_hinge, e, 2), 6.3 * 6.3 + 6.6 * 6.6, 1e-12);
}

TEST(Loss, MseIsTheSquaredDistanceToOneHot) {
  const Example e;
  EXPECT_NEAR(loss_of_row(LossKind::mse, e, 0), 2.2 * 2.2 + 5.1 * 5.1 + 1.7 * 1.7, 1e-12);
}

TEST(Loss, SoftmaxIsStableForHugeScores) {
  const RowMatrix<float> scores{{1000.0f, 0.0f, -1000.0f}};
  const std::vector<int32_t> label{2};
  RowMatrix<float> d(1, 3);
  const float loss = softmax_loss<float>(scores, label, d);
  EXPECT_NEAR(loss, 2000.0f, 1e-2f);
  EXPECT_TRUE(d.allFinite());
}

TEST(Loss, FloatAgreesWithDouble) {
  const Example e;
  const RowMatrix<float> scores = e.scores.cast<float>();
  for (const auto& entry : loss_registry()) {
    const LossKind kind = entry.value;
    RowMatrix<float> df(3, 3);
    RowMatrix<double> dd(3, 3);
    const float lf = data_loss<float>({kind, 1.0}, scores, e.labels, df);
    const double ld = data_loss<double>({kind, 1.0}, e.scores, e.labels, dd);
    EXPECT_NEAR(lf, ld, 1e-4 * std::abs(ld)) << to_string(kind);
    EXPECT_TRUE(df.cast<double>().isApprox(dd, 1e-5)) << to_string(kind);
  }
}

TEST(Loss, ExpectedInitialLoss) {
  EXPECT_DOUBLE_EQ(expected_initial_loss({LossKind::svm, 1.0}, 10), 9.0);
  EXPECT_DOUBLE_EQ(expected_initial_loss({LossKind::softmax, 1.0}, 10), std::log(10.0));
  EXPECT_DOUBLE_EQ(expected_initial_loss({LossKind::squared_hinge, 2.0}, 3), 8.0);
  EXPECT_DOUBLE_EQ(expected_initial_loss({LossKind::mse, 1.0}, 3), 1.0);
}

TEST(Loss, NamesRoundTripAndUnknownNamesAreListed) {
  for (const auto& entry : loss_registry()) EXPECT_EQ(parse_loss(to_string(entry.value)), entry.value);
  EXPECT_EQ(all_losses().size(), loss_registry().size());
  try {
    parse_loss("hinge");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("svm, squared-hinge, softmax, mse"), std::string::npos) << e.what();
  }
  try {
    parse_loss("softmx");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'softmax'?"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(validate(LossParams{LossKind::svm, 0.0}).has_value());
}

}  // namespace
}  // namespace featpipe::classify
