#include "pixel_votes.h"

#include <algorithm>

namespace featpipe::features::FEATPIPE_ISA {

void pool_pixel_votes(const SpatialPyramid& pyramid, cv::Size size, const PixelVote* votes,
                      int votes_per_pixel, std::size_t bins, float* out) {
  std::fill(out, out + pyramid.cells() * bins, 0.0f);
  for (std::size_t level = 0; level < pyramid.levels(); ++level) {
    const PyramidLevel& g = pyramid.params().levels[level];
    for (int cy = 0; cy < g.rows; ++cy) {
      for (int cx = 0; cx < g.cols; ++cx) {
        float* hist = out + (pyramid.first_cell(level) + std::size_t(cy) * g.cols + cx) * bins;
        const cv::Rect r = pyramid.cell_rect(size, level, cx, cy);
        for (int y = r.y; y < r.y + r.height; ++y) {
          const PixelVote* v = votes + (std::size_t(y) * size.width + r.x) * votes_per_pixel;
          const PixelVote* end = v + std::size_t(r.width) * votes_per_pixel;
          for (; v != end; ++v) hist[v->bin] += v->weight;
        }
        const float inv_area = 1.0f / static_cast<float>(r.area());
        for (std::size_t b = 0; b < bins; ++b) hist[b] *= inv_area;
      }
    }
  }
  pyramid.apply_level_weights(out, bins);
}

}  // namespace featpipe::features::FEATPIPE_ISA
