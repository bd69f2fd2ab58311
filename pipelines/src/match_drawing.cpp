#include "featpipe/pipelines/match_drawing.h"

#include <opencv2/features2d.hpp>

namespace featpipe::pipelines {

cv::Mat draw_verified_matches(const cv::Mat& a, const std::vector<cv::Point2f>& pa, const cv::Mat& b,
                              const std::vector<cv::Point2f>& pb, const std::vector<bool>& inlier,
                              bool outliers) {
  std::vector<cv::KeyPoint> ka, kb;
  std::vector<cv::DMatch> matches;
  std::vector<char> inlier_mask, outlier_mask;
  for (std::size_t i = 0; i < pa.size(); ++i) {
    ka.emplace_back(pa[i], 1.0f);
    kb.emplace_back(pb[i], 1.0f);
    matches.emplace_back(static_cast<int>(i), static_cast<int>(i), 0.0f);
    inlier_mask.push_back(inlier[i] ? 1 : 0);
    outlier_mask.push_back(inlier[i] || !outliers ? 0 : 1);
  }
  const cv::Scalar red(0, 0, 255), green(0, 200, 0);
  cv::Mat drawing;
  // The first call lays out the canvas (drawing outliers, if any); the second draws the inliers over it.
  cv::drawMatches(a, ka, b, kb, matches, drawing, red, red, outlier_mask,
                  cv::DrawMatchesFlags::NOT_DRAW_SINGLE_POINTS);
  cv::drawMatches(a, ka, b, kb, matches, drawing, green, green, inlier_mask,
                  cv::DrawMatchesFlags::DRAW_OVER_OUTIMG | cv::DrawMatchesFlags::NOT_DRAW_SINGLE_POINTS);
  return drawing;
}

}  // namespace featpipe::pipelines
