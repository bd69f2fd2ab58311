#include "featpipe/pipelines/match_geometry.h"

#include <cmath>
#include <opencv2/calib3d.hpp>

namespace featpipe::pipelines {
namespace {

constexpr int kRansacIterations = 2000;
constexpr double kRansacConfidence = 0.995;
// A view more than 100 times closer or farther is beyond what local descriptors match across; a transform
// that shrinks or grows the image that much is RANSAC fitting chance matches that crowd onto one point.
constexpr double kMaxScaleChange = 100;

int minimal_sample(GeometryModel model) { return model == GeometryModel::similarity ? 2 : 4; }

}  // namespace

std::optional<GeometryModel> parse_geometry_model(const std::string& name) {
  if (name == "similarity") return GeometryModel::similarity;
  if (name == "homography") return GeometryModel::homography;
  return std::nullopt;
}

const char* to_string(GeometryModel model) {
  return model == GeometryModel::similarity ? "similarity" : "homography";
}

std::optional<std::string> validate(const GeometryParams& p) {
  if (!(p.ransac_threshold > 0) || !std::isfinite(p.ransac_threshold)) {
    return "--ransac-threshold: must be a positive number of pixels, got " +
           std::to_string(p.ransac_threshold);
  }
  if (p.min_inliers < minimal_sample(p.model)) {
    return "--min-inliers: must be at least " + std::to_string(minimal_sample(p.model)) + " for a " +
           to_string(p.model) + " (its minimal sample), got " + std::to_string(p.min_inliers);
  }
  return std::nullopt;
}

GeometryFit fit_geometry(const std::vector<cv::Point2f>& a, const std::vector<cv::Point2f>& b,
                         const GeometryParams& p) {
  GeometryFit fit;
  fit.inlier.assign(a.size(), false);
  if (a.size() != b.size() || static_cast<int>(a.size()) < minimal_sample(p.model)) return fit;
  std::vector<uchar> mask;
  cv::Mat m;
  if (p.model == GeometryModel::similarity) {
    m = cv::estimateAffinePartial2D(a, b, mask, cv::RANSAC, p.ransac_threshold, kRansacIterations,
                                    kRansacConfidence);
  } else {
    m = cv::findHomography(a, b, cv::RANSAC, p.ransac_threshold, mask, kRansacIterations, kRansacConfidence);
  }
  if (m.empty() || mask.size() != a.size()) return fit;
  m.convertTo(m, CV_64F);
  for (int r = 0; r < m.rows; ++r) {
    for (int c = 0; c < 3; ++c) fit.transform(r, c) = m.at<double>(r, c);
  }
  for (std::size_t i = 0; i < mask.size(); ++i) {
    fit.inlier[i] = mask[i] != 0;
    fit.inliers += fit.inlier[i] ? 1 : 0;
  }
  // The upper-left 2x2 of a similarity is s [cos t, sin t; -sin t, cos t] with t counter-clockwise on
  // screen (y points down), as cv::getRotationMatrix2D builds it.
  const double sc = fit.transform(0, 0), ss = fit.transform(0, 1);
  fit.scale = std::hypot(sc, ss);
  fit.rotation_degrees = std::atan2(ss, sc) * 180.0 / CV_PI;
  fit.translation = {fit.transform(0, 2), fit.transform(1, 2)};
  // The area a unit square maps to: scale^2 for a similarity, the Jacobian of a homography at the origin.
  const double h22 = fit.transform(2, 2);
  const double area =
      h22 == 0 ? 0
               : (fit.transform(0, 0) * fit.transform(1, 1) - fit.transform(0, 1) * fit.transform(1, 0)) /
                     (h22 * h22);
  fit.degenerate = !(std::abs(area) >= 1 / (kMaxScaleChange * kMaxScaleChange) &&
                     std::abs(area) <= kMaxScaleChange * kMaxScaleChange);
  fit.consistent = !fit.degenerate && static_cast<int>(fit.inliers) >= p.min_inliers;
  return fit;
}

}  // namespace featpipe::pipelines
