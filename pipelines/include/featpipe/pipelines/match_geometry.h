#pragma once
// Geometric verification of descriptor matches: RANSAC finds the one transform most matches agree on,
// and the matches it explains (inliers) are the ones to trust. Ratio-test matches alone keep many that
// are merely similar patches; a real view of the same scene moves its points together.
#include <cstddef>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

namespace featpipe::pipelines {

enum class GeometryModel {
  similarity,  // rotation, uniform scale and translation (cv::estimateAffinePartial2D): 4 degrees of freedom
  homography,  // a plane seen from another viewpoint (cv::findHomography): 8 degrees of freedom
};

struct GeometryParams {
  GeometryModel model = GeometryModel::similarity;
  double ransac_threshold = 3.0;  // px in the second image: how far a mapped point may land from its match
  int min_inliers = 10;           // fewer inliers than this is no consistent geometry (chance agreement)
};

/// "similarity" or "homography"; std::nullopt for another name.
std::optional<GeometryModel> parse_geometry_model(const std::string& name);
const char* to_string(GeometryModel model);

/// A message naming the parameter that is out of range (threshold > 0 and finite, min_inliers >= the
/// model's minimal sample, 2 or 4), std::nullopt when all are valid.
std::optional<std::string> validate(const GeometryParams& p);

struct GeometryFit {
  bool consistent = false;   // RANSAC found a transform, not degenerate, with at least min_inliers inliers
  bool degenerate = false;   // the transform shrinks or grows areas more than 100^2 times
  std::vector<bool> inlier;  // per match, whether the transform explains it
  std::size_t inliers = 0;
  cv::Matx33d transform = cv::Matx33d::eye();  // maps points of the first image onto the second
  // The similarity's parts (also read off a homography's upper-left 2x2, where they are approximate):
  double rotation_degrees = 0;  // counter-clockwise as the image is seen (getRotationMatrix2D's sense)
  double scale = 1;
  cv::Point2d translation;
};

/// RANSAC over the matched points (a[i] in the first image matched to b[i] in the second). Fewer matches
/// than the model's minimal sample, or a transform RANSAC cannot find, give consistent == false with no
/// inliers. OpenCV's RANSAC draws its samples from a generator of fixed seed, so a run repeats.
GeometryFit fit_geometry(const std::vector<cv::Point2f>& a, const std::vector<cv::Point2f>& b,
                         const GeometryParams& p);

}  // namespace featpipe::pipelines
