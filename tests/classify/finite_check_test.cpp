// NaN and infinite features: standardisation, training and prediction refuse them, naming the row and
// the feature (and the set), instead of training NaN weights or predicting arbitrary classes.
#include "featpipe/classify/finite_check.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "../test_fixtures.h"
#include "blobs.h"
#include "featpipe/classify/standardizer.h"
#include "featpipe/classify/trainer.h"

namespace featpipe::classify {
namespace {

using testing::error_message;

using featpipe::testing::contains;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

TEST(FiniteCheck, AllFiniteSeesEveryPosition) {
  for (std::size_t n : {0, 1, 15, 16, 17, 7850}) {
    std::vector<float> v(n, 3.0e38f);                         // large but finite: x * 0 stays 0
    for (std::size_t i = 0; i < n; i += 3) v[i] = -1.0e-40f;  // denormals too
    EXPECT_TRUE(all_finite(v)) << n;
    for (float bad : {kNaN, kInf, -kInf}) {
      for (std::size_t at : {std::size_t(0), n / 2, n - 1}) {
        if (n == 0) continue;
        std::vector<float> w = v;
        w[at] = bad;
        EXPECT_FALSE(all_finite(w)) << n << " values, " << bad << " at " << at;
      }
    }
  }
}

TEST(FiniteCheck, FindsTheFirstNonFiniteValue) {
  RowMatrix<float> x = RowMatrix<float>::Ones(5, 4);
  EXPECT_FALSE(first_non_finite(x));
  x(3, 2) = -kInf;
  x(4, 0) = kNaN;
  const std::optional<Cell> bad = first_non_finite(x);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->row, 3u);
  EXPECT_EQ(bad->feature, 2u);
  EXPECT_EQ(error_message<std::invalid_argument>([&] { check_finite(x, 100); }).substr(0, 31),
            "row 103, feature 2 is infinite;");
}

TEST(FiniteCheck, StandardisationNamesTheRowAcrossBlocks) {
  RowMatrix<float> x = RowMatrix<float>::Random(1000, 6);
  x(777, 5) = kNaN;
  const MatrixSource s(x.data(), x.rows(), x.cols());
  const std::string message = error_message<std::invalid_argument>([&] { fit_standardizer(s, 64); });
  EXPECT_TRUE(contains(message, "row 777, feature 5 is NaN")) << message;
}

TEST(FiniteCheck, TrainingRefusesNaNInTrainAndInfInVal) {
  Blobs train_set = make_blobs(300, 12, 3, 0.5, 1), val_set = make_blobs(90, 12, 3, 0.5, 2);
  TrainParams p;
  p.epochs = 2;
  {
    Blobs bad = train_set;
    bad.x(17, 3) = kNaN;
    const MatrixSource s = bad.source();
    const std::string message = error_message<std::invalid_argument>([&] {
      train(p, {&s, bad.y, "train.h5"}, nullptr, 3);
    });
    EXPECT_TRUE(contains(message, "training set train.h5: row 17, feature 3 is NaN")) << message;
  }
  {
    Blobs bad = val_set;
    bad.x(89, 11) = kInf;
    const MatrixSource s = train_set.source(), v = bad.source();
    const LabelledRows val{&v, bad.y, "val.h5"};
    const std::string message = error_message<std::invalid_argument>([&] {
      train(p, {&s, train_set.y}, &val, 3);
    });
    EXPECT_TRUE(contains(message, "validation set val.h5: row 89, feature 11 is infinite")) << message;
  }
}

TEST(FiniteCheck, PredictionRefusesNonFiniteRows) {
  const Blobs b = make_blobs(300, 12, 3, 0.5, 1);
  const MatrixSource s = b.source();
  TrainParams p;
  p.epochs = 1;
  const LinearModel m = train(p, {&s, b.y}, nullptr, 3).model;
  RowMatrix<float> x = b.x;
  x(250, 0) = kInf;
  const MatrixSource bad(x.data(), x.rows(), x.cols());
  EXPECT_TRUE(
      contains(error_message<std::invalid_argument>([&] { predict(m, bad, 100); }), "row 250, feature 0"));
  EXPECT_TRUE(
      contains(error_message<std::invalid_argument>([&] { predict_scores(m, x); }), "row 250, feature 0"));
}

// Finite features of 3e38 overflowed on their way to the scores, and every such row was the first class
// (eval reported accuracy 0.25 with exit 0).
TEST(FiniteCheck, PredictionRefusesRowsWhoseScoresOverflow) {
  const Blobs b = make_blobs(300, 12, 3, 0.5, 1);
  const MatrixSource s = b.source();
  TrainParams p;
  p.epochs = 1;
  LinearModel m = train(p, {&s, b.y}, nullptr, 3).model;
  m.W *= 1e10f;  // large but finite weights: 3e38 times them is not
  RowMatrix<float> x = b.x;
  x.row(170).setConstant(3e38f);
  const MatrixSource huge(x.data(), x.rows(), x.cols());
  const std::string message = error_message<std::invalid_argument>([&] { predict(m, huge, 100); });
  EXPECT_TRUE(contains(message, "row 170 gives a non-finite class score")) << message;
  EXPECT_TRUE(contains(error_message<std::invalid_argument>([&] { predict_scores(m, x); }),
                       "row 170 gives a non-finite class score"));
  EXPECT_EQ(predict(m, s, 100).size(), 300u);  // finite scores: no error
}

}  // namespace
}  // namespace featpipe::classify
