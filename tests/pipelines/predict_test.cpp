// `featpipe predict` replays the model's feature chain on image files: a PNG written from a test image
// gets the class the model gives that image's row in the test store.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "cli_runner.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/data/dataset.h"
#include "featpipe/data/feature_store.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

namespace {

constexpr const char* kData = "synthetic:shapes(classes=4,train=200,test=24,size=24)";

/// Writes every test image of the store as a PNG, runs `featpipe predict` on them, and checks that each
/// gets the class the model gives its row in the store (the argmax eval uses).
void expect_predict_matches_store(const fs::path& dir, const std::string& model_path,
                                  const std::string& store) {
  const auto model = featpipe::classify::load_model(model_path);
  featpipe::data::FeatureStoreReader test(store);
  std::vector<float> rows(test.rows() * test.dim());
  test.read_rows(0, test.rows(), rows.data());
  const auto scores = featpipe::classify::predict_scores(
      model.model, Eigen::Map<const featpipe::RowMatrix<float>>(rows.data(), Eigen::Index(test.rows()),
                                                                Eigen::Index(test.dim())));
  const auto dataset = featpipe::data::open_dataset(kData);
  std::vector<std::string> args = {"predict", "--model", model_path};
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < test.rows(); ++i) {
    const std::string png = (dir / ("test_" + std::to_string(i) + ".png")).string();
    ASSERT_TRUE(cv::imwrite(png, dataset->image(featpipe::data::Source::test, test.index()[i])));
    args.push_back(png);
    Eigen::Index best = 0;
    scores.row(Eigen::Index(i)).maxCoeff(&best);
    expected.push_back(png + "\t" + model.model.class_names[best] + "\t");
  }
  const auto r = run_featpipe(args, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  for (const std::string& want : expected) {
    ASSERT_TRUE(std::getline(lines, line));
    EXPECT_EQ(line.substr(0, want.size()), want) << line;
  }
}

class PredictCli : public ::testing::Test {
 protected:
  TempDir dir_;

  void SetUp() override {
    for (const char* split : {"train", "test"}) {
      const auto r =
          run_featpipe({"extract", "--quiet", "--data", kData, "--split", split, "--features",
                        "raw(size=12x12)", "--out", (dir_ / (std::string(split) + ".h5")).string()},
                       dir_.path());
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const auto r = run_featpipe({"train", "--quiet", "--train", (dir_ / "train.h5").string(), "--loss",
                                 "softmax", "--epochs", "5", "--out", (dir_ / "model.h5").string()},
                                dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(PredictCli, PngOfATestImageGetsTheClassOfItsRow) {
  expect_predict_matches_store(dir_.path(), (dir_ / "model.h5").string(), (dir_ / "test.h5").string());
}

TEST_F(PredictCli, UnreadableImageIsBadInput) {
  const fs::path text = dir_ / "notes.png";
  std::ofstream(text) << "not an image";
  const auto r =
      run_featpipe({"predict", "--model", (dir_ / "model.h5").string(), text.string()}, dir_.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("featpipe: error: " + text.string() + ": cannot be read as an image"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(PredictCli, LargerImagesAreResizedToTheTrainingSize) {
  const auto dataset = featpipe::data::open_dataset(kData);
  cv::Mat big;
  cv::resize(dataset->image(featpipe::data::Source::test, 0), big, {96, 96}, 0, 0, cv::INTER_NEAREST);
  const fs::path png = dir_ / "big.png";
  ASSERT_TRUE(cv::imwrite(png.string(), big));
  const auto r =
      run_featpipe({"predict", "--model", (dir_ / "model.h5").string(), png.string()}, dir_.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resize to 24x24, extract raw(size=12x12)"), std::string::npos) << r.err;
}

TEST(PredictEncoded, ReplaysDescriptorVocabularyAndEncoding) {
  TempDir dir;
  auto run_ok = [&](const std::vector<std::string>& args) {
    const auto r = run_featpipe(args, dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  const auto path = [&](const std::string& name) { return (dir / name).string(); };
  run_ok({"descriptors", "--quiet", "--data", kData, "--descriptor", "patch(size=5,stride=2,norm=1)",
          "--sample", "5000", "--out", path("desc.h5")});
  run_ok({"vocab", "--quiet", "--descriptors", path("desc.h5"), "--k", "16", "--whiten", "zca", "--out",
          path("vocab.h5")});
  for (const char* split : {"train", "test"}) {
    run_ok({"encode", "--quiet", "--data", kData, "--split", split, "--vocab", path("vocab.h5"), "--encoding",
            "triangle", "--pyramid", "2", "--out", path(std::string(split) + ".h5")});
  }
  run_ok({"train", "--quiet", "--train", path("train.h5"), "--loss", "svm", "--epochs", "3", "--out",
          path("model.h5")});

  expect_predict_matches_store(dir.path(), path("model.h5"), path("test.h5"));
}

}  // namespace
