// predict_scores against predict: they score the same fixed blocks of rows with the same kernels, so the
// best score of every row is its predicted class, to the bit (the accuracy of eval and the argmax of scores
// a caller computes block by block agree), and a caller that scores a source by blocks of whole row blocks
// names each bad row by its place in the source.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <vector>

#include "../test_fixtures.h"
#include "blobs.h"
#include "featpipe/classify/linear_model.h"
#include "featpipe/classify/trainer.h"

namespace featpipe::classify {
namespace {

using featpipe::testing::contains;
using featpipe::testing::error_message;

LinearModel trained_on(const Blobs& b, int classes) {
  const MatrixSource s = b.source();
  TrainParams p;
  p.epochs = 1;
  return train(p, {&s, b.y}, nullptr, classes).model;
}

TEST(PredictScores, BestScoreOfEveryRowIsItsPredictedClass) {
  const Blobs b = make_blobs(1000, 20, 7, 3.0, 5);  // overlapping classes: close best scores
  const LinearModel m = trained_on(b, 7);
  const RowMatrix<float> scores = predict_scores(m, b.x);
  const std::vector<int32_t> classes = predict(m, b.source());
  ASSERT_EQ(scores.rows(), 1000);
  for (Eigen::Index i = 0; i < scores.rows(); ++i) {
    Eigen::Index best = 0;
    scores.row(i).maxCoeff(&best);
    EXPECT_EQ(best, classes[i]) << "row " << i;
  }
}

TEST(PredictScores, RowsScoredFromAWholeBlockOnHaveTheBitsOfTheWholeMatrix) {
  const Blobs b = make_blobs(1000, 20, 7, 3.0, 5);
  const LinearModel m = trained_on(b, 7);
  const RowMatrix<float> all = predict_scores(m, b.x);
  const RowMatrix<float> tail = predict_scores(m, b.x.bottomRows(488), 512);  // 512: two blocks of 256
  const RowMatrix<float> expected = all.bottomRows(488);
  EXPECT_EQ(std::memcmp(tail.data(), expected.data(), sizeof(float) * expected.size()), 0);
}

TEST(PredictScores, NamesABadRowByItsPlaceInTheSource) {
  const Blobs b = make_blobs(1000, 20, 7, 3.0, 5);
  const LinearModel m = trained_on(b, 7);
  RowMatrix<float> x = b.x;
  x(700, 3) = std::numeric_limits<float>::quiet_NaN();
  const std::string message =
      error_message<std::invalid_argument>([&] { predict_scores(m, x.bottomRows(500), 500); });
  EXPECT_TRUE(contains(message, "row 700, feature 3")) << message;
}

}  // namespace
}  // namespace featpipe::classify
