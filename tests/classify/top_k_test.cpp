// The k best classes of each row and the top-k accuracy (ImageNet reports top-5): predict_top by hand on a
// model whose scores are known, its first column equal to predict, and the accuracy counted by hand.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "blobs.h"
#include "featpipe/classify/linear_model.h"
#include "featpipe/classify/trainer.h"

namespace featpipe::classify {
namespace {

/// Scores = x W + b with identity preprocessing: x [n, 2], four classes.
LinearModel known_model() {
  LinearModel m;
  m.W = RowMatrix<float>(2, 4);
  m.W << 1, 0, 2, 0,  //
      0, 1, 0, 3;
  m.b = RowVector<float>::Zero(4);
  m.preprocess.mean.assign(2, 0.0f);
  m.preprocess.std.assign(2, 1.0f);
  m.class_names = {"a", "b", "c", "d"};
  return m;
}

TEST(TopK, BestClassesFirstTiesToTheLowerClass) {
  const LinearModel m = known_model();
  // row 0 scores (1, 0, 2, 0): c, a, then b before d (a tie);  row 1 scores (0, 1, 0, 3): d, b, a, c
  RowMatrix<float> x(2, 2);
  x << 1, 0,  //
      0, 1;
  const MatrixSource s(x.data(), x.rows(), x.cols());
  EXPECT_EQ(predict_top(m, s, 3), (std::vector<int32_t>{2, 0, 1, 3, 1, 0}));
  EXPECT_EQ(predict_top(m, s, 4), (std::vector<int32_t>{2, 0, 1, 3, 3, 1, 0, 2}));
  EXPECT_EQ(predict_top(m, s, 99).size(), 8u);  // capped at the classes
  EXPECT_THROW(predict_top(m, s, 0), std::invalid_argument);
}

TEST(TopK, FirstColumnIsPredictAndAccuracyCountsHits) {
  const Blobs b = make_blobs(500, 10, 6, 2.0, 3);
  const MatrixSource s = b.source();
  TrainParams p;
  p.epochs = 2;
  const LinearModel m = train(p, {&s, b.y}, nullptr, 6).model;
  const std::vector<int32_t> top3 = predict_top(m, s, 3, 128);
  const std::vector<int32_t> top1 = predict(m, s, 128);
  std::size_t hits = 0, hits1 = 0;
  for (std::size_t i = 0; i < b.y.size(); ++i) {
    EXPECT_EQ(top3[3 * i], top1[i]) << i;
    hits += top3[3 * i] == b.y[i] || top3[3 * i + 1] == b.y[i] || top3[3 * i + 2] == b.y[i];
    hits1 += top1[i] == b.y[i];
  }
  EXPECT_DOUBLE_EQ(top_k_accuracy(b.y, top3, 3), double(hits) / double(b.y.size()));
  EXPECT_DOUBLE_EQ(top_k_accuracy(b.y, top1, 1), double(hits1) / double(b.y.size()));
  EXPECT_GE(top_k_accuracy(b.y, top3, 3), top_k_accuracy(b.y, top1, 1));
  EXPECT_DOUBLE_EQ(top_k_accuracy(b.y, predict_top(m, s, 6), 6), 1.0);
}

}  // namespace
}  // namespace featpipe::classify
