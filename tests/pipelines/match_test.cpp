// `featpipe match` end to end: two images (ratio-test matches drawn side by side) and one image (its
// repeated structures), and the bad inputs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "cli_runner.h"
#include "features/test_images.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::testing::CliResult;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

namespace {

using featpipe::testing::contains;

class MatchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    // A: 16 Fashion-MNIST pictures at twice their size; B: A turned 30 degrees and scaled 0.7x.
    const auto images = featpipe::test::fashion_mnist_images(16);
    cv::Mat a(224, 224, CV_8UC1);
    for (int i = 0; i < 16; ++i) {
      cv::resize(images[i], a(cv::Rect((i % 4) * 56, (i / 4) * 56, 56, 56)), cv::Size(56, 56), 0, 0,
                 cv::INTER_CUBIC);
    }
    cv::Mat b;
    cv::warpAffine(a, b, cv::getRotationMatrix2D(cv::Point2f(112, 112), 30, 0.7), a.size());
    // C: one picture twice on a blank canvas.
    cv::Mat item, c(80, 160, CV_8UC1, cv::Scalar(0));
    cv::resize(images[0], item, cv::Size(56, 56), 0, 0, cv::INTER_CUBIC);
    item.copyTo(c(cv::Rect(10, 12, 56, 56)));
    item.copyTo(c(cv::Rect(90, 12, 56, 56)));
    cv::imwrite((dir_ / "a.png").string(), a);
    cv::imwrite((dir_ / "b.png").string(), b);
    cv::imwrite((dir_ / "c.png").string(), c);
  }

  CliResult match(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"match"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_featpipe(args, dir_.path());
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  TempDir dir_;
};

TEST_F(MatchCli, TwoImagesPrintTheCountAndDrawThemSideBySide) {
  const CliResult r = match({path("a.png"), path("b.png"), "--out", path("m.png")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const int count = std::atoi(r.out.c_str());
  EXPECT_GT(count, 100) << r.out;
  EXPECT_TRUE(contains(r.out, "matches between")) << r.out;
  const cv::Mat drawing = cv::imread(path("m.png"));
  ASSERT_FALSE(drawing.empty());
  EXPECT_EQ(drawing.cols, 448);
  EXPECT_EQ(drawing.rows, 224);
  // A stricter ratio keeps fewer.
  const CliResult strict = match({path("a.png"), path("b.png"), "--ratio", "0.5"});
  ASSERT_EQ(strict.exit_code, 0) << strict.err;
  EXPECT_LT(std::atoi(strict.out.c_str()), count);
}

TEST_F(MatchCli, OneImageFindsItsRepeatedStructures) {
  const CliResult r = match({path("c.png"), "--out", path("r.png")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "repeated pairs")) << r.out;
  EXPECT_GT(std::atoi(r.out.c_str()), 3) << r.out;
  EXPECT_FALSE(cv::imread(path("r.png")).empty());
  // A blank image has nothing to repeat.
  cv::imwrite(path("blank.png"), cv::Mat(64, 64, CV_8UC1, cv::Scalar(0)));
  const CliResult blank = match({path("blank.png")});
  ASSERT_EQ(blank.exit_code, 0) << blank.err;
  EXPECT_EQ(std::atoi(blank.out.c_str()), 0) << blank.out;
}

TEST_F(MatchCli, BadInputsExitTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string subject, problem;
  };
  for (const Case& c : {Case{{path("nosuch.png")}, "nosuch.png", "cannot be read"},
                        Case{{path("a.png"), path("b.png"), path("c.png")}, "match", "one image"},
                        Case{{}, "match", "one image"},
                        Case{{path("a.png"), path("b.png"), "--ratio", "2"}, "--ratio", "(0, 1]"},
                        Case{{path("a.png"), "--descriptor", "dsift(size=100)"}, "a.png", "needs at least"},
                        Case{{path("a.png"), "--out", path("no/dir/m.png")}, "m.png", "does not exist"}}) {
    const CliResult r = match(c.args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: ")) << r.err;
    EXPECT_TRUE(contains(r.err, c.subject)) << r.err;
    EXPECT_TRUE(contains(r.err, c.problem)) << r.err;
  }
}

}  // namespace
