// The feature stage's kernels (HOG, dense SIFT with the flat window, the pixel-vote histograms): each call
// goes to the variant of the active CPU level.
#include "featpipe/core/dispatch.h"

#include "dsift_flat.h"
#include "hog_impl.h"
#include "pixel_votes.h"

namespace featpipe::features {

FEATPIPE_DISPATCHED(std::unique_ptr<FeatureExtractor>, make_uoctti_hog, (const HogParams& params), (params))
FEATPIPE_DISPATCHED(std::unique_ptr<FeatureExtractor>, make_dalal_triggs_hog, (const HogParams& params),
                    (params))
FEATPIPE_DISPATCHED(void, flat_dense_sift,
                    (const cv::Mat& image, const FlatDsiftGrid& grid, LocalFeatures& out), (image, grid, out))
FEATPIPE_DISPATCHED(void, pool_pixel_votes,
                    (const SpatialPyramid& pyramid, cv::Size size, const PixelVote* votes,
                     int votes_per_pixel, std::size_t bins, float* out),
                    (pyramid, size, votes, votes_per_pixel, bins, out))

}  // namespace featpipe::features
