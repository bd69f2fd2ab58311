// `featpipe match` end to end: two images (ratio-test matches verified by RANSAC, drawn side by side with
// inliers and outliers apart) and one image (its repeated structures), and the bad inputs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <regex>

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
    // D: A turned 30 degrees and scaled 1.5x, on a canvas large enough to hold it whole.
    rotation_ = cv::getRotationMatrix2D(cv::Point2f(112, 112), 30, 1.5);
    rotation_.at<double>(0, 2) += 56;
    rotation_.at<double>(1, 2) += 56;
    cv::Mat d;
    cv::warpAffine(a, d, rotation_, cv::Size(336, 336));
    cv::imwrite((dir_ / "d.png").string(), d);
    // N: smoothed noise, nothing like A.
    cv::Mat noise(224, 224, CV_8UC1);
    cv::RNG rng(7);
    rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(noise, noise, cv::Size(0, 0), 2.0);
    cv::normalize(noise, noise, 0, 255, cv::NORM_MINMAX);
    cv::imwrite((dir_ / "n.png").string(), noise);
  }

  CliResult match(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"match"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_featpipe(args, dir_.path());
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  TempDir dir_;
  cv::Mat rotation_;  // maps A onto D
};

/// The number before `label` in `text` ("12 inliers"), -1 when absent.
double number_before(const std::string& text, const std::string& label) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("(-?[0-9.]+) " + label))) return -1;
  return std::stod(m[1]);
}

/// Pixels of the drawing that are strongly red or green (the images are grey, so only lines are).
int coloured_pixels(const cv::Mat& drawing, bool red) {
  int count = 0;
  for (int y = 0; y < drawing.rows; ++y) {
    for (int x = 0; x < drawing.cols; ++x) {
      const cv::Vec3b p = drawing.at<cv::Vec3b>(y, x);
      const int hue = red ? p[2] : p[1], others = red ? std::max(p[0], p[1]) : std::max(p[0], p[2]);
      count += hue > 150 && others < 60 ? 1 : 0;
    }
  }
  return count;
}

TEST_F(MatchCli, RansacRecoversTheRotationAndScaleOfACopy) {
  const CliResult r = match({path("a.png"), path("d.png"), "--out", path("m.png")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const double inliers = number_before(r.out, "inliers"), outliers = number_before(r.out, "outliers");
  EXPECT_GT(inliers, 50) << r.out;
  EXPECT_GT(inliers, 4 * outliers) << r.out;
  EXPECT_EQ(inliers + outliers, std::atoi(r.out.c_str())) << r.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m,
                                std::regex("rotation (-?[0-9.]+) degrees, scale ([0-9.]+), translation "
                                           "\\((-?[0-9.]+), (-?[0-9.]+)\\) px")))
      << r.out;
  EXPECT_NEAR(std::stod(m[1]), 30.0, 1.0) << r.out;
  EXPECT_NEAR(std::stod(m[2]), 1.5, 0.03) << r.out;
  // The translation moves A's centre where the warp put it, within a few pixels.
  const double cx = 112, cy = 112;
  const double rad = std::stod(m[1]) * CV_PI / 180, s = std::stod(m[2]);
  const double x = s * std::cos(rad) * cx + s * std::sin(rad) * cy + std::stod(m[3]);
  const double y = -s * std::sin(rad) * cx + s * std::cos(rad) * cy + std::stod(m[4]);
  EXPECT_NEAR(
      x, rotation_.at<double>(0, 0) * cx + rotation_.at<double>(0, 1) * cy + rotation_.at<double>(0, 2), 4);
  EXPECT_NEAR(
      y, rotation_.at<double>(1, 0) * cx + rotation_.at<double>(1, 1) * cy + rotation_.at<double>(1, 2), 4);
  // Inliers green, outliers red; --inliers-only leaves the red out.
  const cv::Mat drawing = cv::imread(path("m.png"));
  ASSERT_EQ(drawing.cols, 224 + 336);
  EXPECT_GT(coloured_pixels(drawing, false), 500);
  if (outliers > 0) {
    EXPECT_GT(coloured_pixels(drawing, true), 0);
  }
  const CliResult clean = match({path("a.png"), path("d.png"), "--inliers-only", "--out", path("i.png")});
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  const cv::Mat inliers_only = cv::imread(path("i.png"));
  EXPECT_EQ(coloured_pixels(inliers_only, true), 0);
  EXPECT_GT(coloured_pixels(inliers_only, false), 500);

  const CliResult h = match({path("a.png"), path("d.png"), "--model", "homography"});
  ASSERT_EQ(h.exit_code, 0) << h.err;
  EXPECT_TRUE(contains(h.out, "homography (RANSAC, 3 px): ")) << h.out;
  EXPECT_TRUE(contains(h.out, "\nhomography [")) << h.out;
  EXPECT_GT(number_before(h.out, "inliers"), 4 * number_before(h.out, "outliers")) << h.out;
}

TEST_F(MatchCli, AnUnrelatedPairHasNoConsistentGeometry) {
  // A loose ratio lets many chance matches through: RANSAC, not the ratio test, has to refuse them.
  const CliResult r = match({path("a.png"), path("n.png"), "--ratio", "0.95", "--out", path("m.png")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(std::atoi(r.out.c_str()), 30) << r.out;
  EXPECT_TRUE(contains(r.out, "\nno consistent geometry: ")) << r.out;
  EXPECT_FALSE(contains(r.out, " outliers")) << r.out;
  EXPECT_FALSE(contains(r.out, "rotation")) << r.out;
  // The drawing shows the chance matches as outliers: red, no green.
  const cv::Mat drawing = cv::imread(path("m.png"));
  EXPECT_GT(coloured_pixels(drawing, true), 100);
  EXPECT_EQ(coloured_pixels(drawing, false), 0);
}

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

TEST_F(MatchCli, TooFewInliersIsNoConsistentGeometry) {
  // The true pair, with more inliers asked for than there are matches at all.
  const CliResult r = match({path("a.png"), path("d.png"), "--min-inliers", "100000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.out, m,
      std::regex("no consistent geometry: at most ([0-9]+) of ([0-9]+) matches agree on one similarity "
                 "\\(100000 needed, within 3 px\\)")))
      << r.out;
  EXPECT_GT(std::stoi(m[1]), 50) << r.out;
}

TEST_F(MatchCli, BadInputsExitTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string subject, problem;
  };
  for (const Case& c :
       {Case{{path("nosuch.png")}, "nosuch.png", "cannot be read"},
        Case{{path("a.png"), path("b.png"), path("c.png")}, "match", "one image"},
        Case{{}, "match", "one image"},
        Case{{path("a.png"), path("b.png"), "--ratio", "2"}, "--ratio", "(0, 1]"},
        Case{{path("a.png"), "--descriptor", "dsift(size=100)"}, "a.png", "needs at least"},
        Case{{path("a.png"), "--out", path("no/dir/m.png")}, "m.png", "does not exist"},
        // --out is checked before the images are read: the missing image is not reached
        Case{{path("nosuch.png"), path("b.png"), "--out", path("m.txt")},
             "--out: ",
             "m.txt: OpenCV writes no image format"},
        Case{{path("nosuch.png"), "--out", "/proc/m.png"}, "--out: ", "is not writable"},
        Case{{path("a.png"), path("b.png"), "--model", "affine"}, "--model", "similarity or"},
        Case{{path("a.png"), path("b.png"), "--ransac-threshold", "0"}, "--ransac-threshold", "must be > 0"},
        Case{{path("a.png"), path("b.png"), "--model", "homography", "--min-inliers", "3"},
             "--min-inliers",
             "at least 4"}}) {
    const CliResult r = match(c.args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: ")) << r.err;
    EXPECT_TRUE(contains(r.err, c.subject)) << r.err;
    EXPECT_TRUE(contains(r.err, c.problem)) << r.err;
  }
}

}  // namespace
