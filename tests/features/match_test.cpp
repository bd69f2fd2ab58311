// Matching by cosine similarity: SIFT keeps most matches of an image against its own rotated and scaled copy
// (checked against the known transform), the ratio test, and repeated structures within one image.
#include "featpipe/features/match.h"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "featpipe/features/descriptor.h"
#include "features/test_images.h"

using featpipe::features::find_repeats;
using featpipe::features::LocalFeatures;
using featpipe::features::make_descriptor;
using featpipe::features::match_descriptors;
using featpipe::features::MatchParams;
using featpipe::features::RepeatParams;

namespace {

/// A 224x224 mosaic of 16 Fashion-MNIST pictures at twice their size.
cv::Mat mosaic() {
  const auto images = featpipe::test::fashion_mnist_images(16);
  cv::Mat m(224, 224, CV_8UC1);
  for (int i = 0; i < 16; ++i) {
    cv::resize(images[i], m(cv::Rect((i % 4) * 56, (i / 4) * 56, 56, 56)), cv::Size(56, 56), 0, 0,
               cv::INTER_CUBIC);
  }
  return m;
}

constexpr double kPi = 3.14159265358979;

TEST(SiftMatching, KeepsMostMatchesUnderRotationAndScaling) {
  const cv::Mat a = mosaic();
  // 30 degrees counter-clockwise on screen and 0.7x about the centre, onto a canvas that holds it all
  // (0.7 * 224 * (cos 30 + sin 30) = 214 pixels), so every keypoint of A has its counterpart in B.
  const cv::Point2f centre(a.cols / 2.0f, a.rows / 2.0f);
  cv::Mat transform = cv::getRotationMatrix2D(centre, 30, 0.7);
  transform.at<double>(0, 2) += 8;
  transform.at<double>(1, 2) += 8;
  cv::Mat b;
  cv::warpAffine(a, b, transform, cv::Size(240, 240), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);

  const auto sift = make_descriptor("sift");
  LocalFeatures fa, fb;
  sift->extract(a, fa);
  sift->extract(b, fb);
  ASSERT_GT(fa.size(), 50u);
  ASSERT_GT(fb.size(), 30u);
  const auto matches = match_descriptors(fa.descriptors.data(), fa.size(), fb.descriptors.data(), fb.size(),
                                         128, MatchParams{});
  std::size_t correct = 0;
  double angle_error = 0, log_scale_error = 0;
  for (const auto& m : matches) {
    const auto& p = fa.frames[m.query];
    const auto& q = fb.frames[m.train];
    const double x =
        transform.at<double>(0, 0) * p.x + transform.at<double>(0, 1) * p.y + transform.at<double>(0, 2);
    const double y =
        transform.at<double>(1, 0) * p.x + transform.at<double>(1, 1) * p.y + transform.at<double>(1, 2);
    if (std::hypot(x - q.x, y - q.y) > 3.0) continue;
    ++correct;
    // Our angles turn clockwise on screen, so a counter-clockwise rotation by 30 degrees subtracts 30.
    angle_error += std::abs(std::remainder(q.angle - p.angle + 30 * kPi / 180, 2 * kPi));
    log_scale_error += std::abs(std::log(q.scale / p.scale / 0.7));
  }
  // Matches of the ratio test that are geometrically right (within 3 pixels of the transformed frame), and
  // what share of B's keypoints they cover. Measured: 0.87 and 0.67 (the mosaic repeats similar garments).
  const double precision = double(correct) / matches.size();
  const double recall = double(correct) / fb.size();
  EXPECT_GT(precision, 0.8) << correct << " of " << matches.size();
  EXPECT_GT(recall, 0.5) << correct << " of " << fb.size() << " keypoints";
  ASSERT_GT(correct, 0u);
  EXPECT_LT(angle_error / correct, 5 * kPi / 180);
  EXPECT_LT(log_scale_error / correct, 0.1);
}

TEST(Matching, IdenticalSetsMatchThemselves) {
  cv::Mat d(20, 16, CV_32F);
  cv::RNG(5).fill(d, cv::RNG::UNIFORM, 0, 1);
  const auto matches = match_descriptors(d.ptr<float>(), 20, d.ptr<float>(), 20, 16, MatchParams{});
  ASSERT_EQ(matches.size(), 20u);
  for (std::size_t i = 0; i < 20; ++i) {
    EXPECT_EQ(matches[i].query, i);
    EXPECT_EQ(matches[i].train, i);
    EXPECT_NEAR(matches[i].similarity, 1.0f, 1e-5);
  }
}

TEST(Matching, RatioTestRejectsAmbiguousAndZeroRows) {
  const float a[] = {1, 0, 0, 0, 0, 0};  // second row is zero
  const float b[] = {0.99f, 0.1f, 0, 0.99f, 0, 0.11f, 0, 1, 0};
  // Two candidates almost equally close (distance ratio 0.9): rejected at ratio 0.8, kept at 0.95.
  EXPECT_TRUE(match_descriptors(a, 2, b, 3, 3, MatchParams{0.8, 0}).empty());
  const auto loose = match_descriptors(a, 2, b, 3, 3, MatchParams{0.95, 0});
  ASSERT_EQ(loose.size(), 1u);
  EXPECT_EQ(loose[0].query, 0u);
  // Scale does not matter: cosine similarity.
  const float scaled[] = {5, 0, 0};
  const auto one = match_descriptors(scaled, 1, b + 6, 1, 3, MatchParams{0.8, -1});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_NEAR(one[0].similarity, 0.0f, 1e-6);
  EXPECT_THROW(match_descriptors(a, 1, b, 1, 3, MatchParams{1.5, 0}), std::invalid_argument);
}

TEST(Repeats, FindTheCopiesOfAStructureAwayFromItself) {
  // One picture pasted twice on a blank canvas: its keypoints repeat 80 pixels to the right.
  cv::Mat item;
  cv::resize(featpipe::test::fashion_mnist_images(1)[0], item, cv::Size(56, 56), 0, 0, cv::INTER_CUBIC);
  cv::Mat canvas(80, 160, CV_8UC1, cv::Scalar(0));
  item.copyTo(canvas(cv::Rect(10, 12, 56, 56)));
  item.copyTo(canvas(cv::Rect(90, 12, 56, 56)));
  LocalFeatures f;
  make_descriptor("sift")->extract(canvas, f);
  const auto repeats = find_repeats(f, 128, RepeatParams{});
  ASSERT_GT(repeats.size(), 3u);
  std::size_t shifted = 0;
  for (const auto& r : repeats) {
    EXPECT_LT(r.query, r.train);
    const auto& p = f.frames[r.query];
    const auto& q = f.frames[r.train];
    if (std::abs(std::abs(q.x - p.x) - 80) < 1.5 && std::abs(q.y - p.y) < 1.5) ++shifted;
  }
  EXPECT_GT(double(shifted) / repeats.size(), 0.8) << shifted << " of " << repeats.size();
}

}  // namespace
