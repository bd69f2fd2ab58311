// What predict reports, apart from the command: softmax probabilities that survive scores too large for a
// plain exp, the classes ranked best first, and the TSV and JSON forms.
#include "featpipe/pipelines/prediction.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace {

using featpipe::RowMatrix;
using featpipe::pipelines::PredictionRun;

TEST(Prediction, SoftmaxSumsToOneEvenForScoresWhoseExpOverflows) {
  const std::vector<double> p = featpipe::pipelines::softmax({1000, 999, 0});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_NEAR(p[0] + p[1] + p[2], 1, 1e-12);
  EXPECT_NEAR(p[0] / p[1], std::exp(1.0), 1e-9);  // only differences of scores matter
  EXPECT_GE(p[2], 0);
  const std::vector<double> small = featpipe::pipelines::softmax({0.5, -0.25});
  EXPECT_NEAR(small[0], 1 / (1 + std::exp(-0.75)), 1e-12);
}

TEST(Prediction, ClassesAreRankedBestFirstAndFormatted) {
  RowMatrix<float> scores(2, 3);
  scores << 0.1f, 2.0f, -1.0f,  //
      3.0f, 3.0f, 0.0f;         // a tie: the lower class first
  PredictionRun run;
  run.probabilities = true;
  run.class_names = {"cat", "dog", "bird"};
  run.images = featpipe::pipelines::rank_classes({"a.png", "b \"q\".png"}, scores, 2, true);
  run.skipped = {{"bad.png", "cannot be read as an image"}};
  ASSERT_EQ(run.images.size(), 2u);
  EXPECT_EQ(run.images[0].classes, (std::vector<int>{1, 0}));
  EXPECT_EQ(run.images[1].classes, (std::vector<int>{0, 1}));
  const double total = std::exp(0.1) + std::exp(2.0) + std::exp(-1.0);
  EXPECT_NEAR(run.images[0].values[0], std::exp(2.0) / total, 1e-6);

  const std::string tsv = featpipe::pipelines::predictions_tsv(run);
  EXPECT_EQ(tsv.rfind("image\tclass_1\tprobability_1\tclass_2\tprobability_2\na.png\tdog\t0.", 0), 0u) << tsv;
  const nlohmann::json doc = nlohmann::json::parse(featpipe::pipelines::predictions_json(run));
  EXPECT_EQ(doc["values"], "probability");
  EXPECT_EQ(doc["predictions"][1]["image"], "b \"q\".png");
  EXPECT_EQ(doc["predictions"][1]["top"][1]["class"], "dog");
  EXPECT_EQ(doc["skipped"][0]["reason"], "cannot be read as an image");

  run.probabilities = false;
  run.images = featpipe::pipelines::rank_classes({"a.png"}, scores.topRows(1), 5, false);
  ASSERT_EQ(run.images[0].values.size(), 3u);  // capped at the classes
  EXPECT_FLOAT_EQ(static_cast<float>(run.images[0].values[2]), -1.0f);
  EXPECT_EQ(featpipe::pipelines::predictions_tsv(run).substr(0, 20), "image\tclass_1\tscore_");
}

}  // namespace
