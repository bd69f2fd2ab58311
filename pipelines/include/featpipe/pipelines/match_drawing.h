#pragma once
// The picture of two images' matches after geometric verification: side by side, the inliers in green,
// the outliers in red (or left out), so that the eye sees the consistent matches rather than a tangle.
#include <opencv2/core.hpp>
#include <vector>

namespace featpipe::pipelines {

/// a beside b (the shorter padded below), a line from pa[i] to pb[i] per match: green when inlier[i], else
/// red, or not drawn when !outliers. Inliers are drawn last, over the outliers.
cv::Mat draw_verified_matches(const cv::Mat& a, const std::vector<cv::Point2f>& pa, const cv::Mat& b,
                              const std::vector<cv::Point2f>& pb, const std::vector<bool>& inlier,
                              bool outliers);

}  // namespace featpipe::pipelines
