// fit_geometry on points whose transform is known: a similarity and a homography recovered from exact
// correspondences mixed with outliers, the inliers told from the outliers; chance correspondences and a
// collapse onto one point are no consistent geometry.
#include "featpipe/pipelines/match_geometry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>

namespace {

using featpipe::pipelines::fit_geometry;
using featpipe::pipelines::GeometryFit;
using featpipe::pipelines::GeometryModel;
using featpipe::pipelines::GeometryParams;

/// 60 points spread over a 200 x 200 image, `outliers` of their partners moved far from where `m` maps them.
void correspondences(const cv::Matx33d& m, int outliers, std::vector<cv::Point2f>& a,
                     std::vector<cv::Point2f>& b) {
  cv::RNG rng(3);
  for (int i = 0; i < 60; ++i) {
    const cv::Point2f p(rng.uniform(0.f, 200.f), rng.uniform(0.f, 200.f));
    const cv::Vec3d q = m * cv::Vec3d(p.x, p.y, 1);
    cv::Point2f mapped(static_cast<float>(q[0] / q[2]), static_cast<float>(q[1] / q[2]));
    if (i < outliers) mapped += cv::Point2f(rng.uniform(40.f, 80.f), rng.uniform(-80.f, -40.f));
    a.push_back(p);
    b.push_back(mapped);
  }
}

TEST(MatchGeometry, SimilarityIsRecoveredAndOutliersAreToldApart) {
  const cv::Mat r = cv::getRotationMatrix2D(cv::Point2f(100, 100), 30, 1.5);
  cv::Matx33d m = cv::Matx33d::eye();
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) m(i, j) = r.at<double>(i, j);
  std::vector<cv::Point2f> a, b;
  correspondences(m, 12, a, b);
  const GeometryFit fit = fit_geometry(a, b, GeometryParams{});
  ASSERT_TRUE(fit.consistent);
  EXPECT_EQ(fit.inliers, 48u);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(fit.inlier[i], i >= 12) << i;
  EXPECT_NEAR(fit.rotation_degrees, 30, 1e-3);
  EXPECT_NEAR(fit.scale, 1.5, 1e-4);
  EXPECT_NEAR(fit.translation.x, m(0, 2), 1e-2 * std::abs(m(0, 2)));
  EXPECT_NEAR(fit.translation.y, m(1, 2), 1e-2 * std::abs(m(1, 2)));
}

TEST(MatchGeometry, HomographyIsRecovered) {
  const cv::Matx33d h(1.1, 0.2, 5, -0.1, 0.9, 12, 1e-4, 2e-4, 1);
  std::vector<cv::Point2f> a, b;
  correspondences(h, 10, a, b);
  const GeometryFit fit = fit_geometry(a, b, GeometryParams{GeometryModel::homography, 3.0, 10});
  ASSERT_TRUE(fit.consistent);
  EXPECT_EQ(fit.inliers, 50u);
  const double norm = fit.transform(2, 2);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(fit.transform(i, j) / norm, h(i, j), 1e-3 * std::max(1.0, std::abs(h(i, j))));
}

TEST(MatchGeometry, ChanceAndCollapseAreNoConsistentGeometry) {
  cv::RNG rng(11);
  std::vector<cv::Point2f> a, b;
  for (int i = 0; i < 60; ++i) {
    a.emplace_back(rng.uniform(0.f, 200.f), rng.uniform(0.f, 200.f));
    b.emplace_back(rng.uniform(0.f, 200.f), rng.uniform(0.f, 200.f));
  }
  const GeometryFit chance = fit_geometry(a, b, GeometryParams{});
  EXPECT_FALSE(chance.consistent);
  EXPECT_LT(chance.inliers, 10u);
  // Every point of the first image matched to (almost) one point of the second: RANSAC "explains" them all
  // with a scale near 0, which is no view of the same scene.
  std::vector<cv::Point2f> crowd(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) crowd[i] = {50.f + 0.01f * (i % 3), 70.f + 0.01f * (i % 5)};
  const GeometryFit collapse = fit_geometry(a, crowd, GeometryParams{});
  EXPECT_TRUE(collapse.degenerate);
  EXPECT_FALSE(collapse.consistent);
  // Fewer matches than the minimal sample: nothing to fit.
  const GeometryFit one = fit_geometry({a[0]}, {b[0]}, GeometryParams{});
  EXPECT_FALSE(one.consistent);
  EXPECT_EQ(one.inliers, 0u);
}

}  // namespace
