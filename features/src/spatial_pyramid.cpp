#include "featpipe/features/spatial_pyramid.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace featpipe::features {

std::optional<std::string> validate(const PyramidParams& params) {
  if (params.levels.empty()) return "pyramid needs at least one level (e.g. pyramid=1:2:4)";
  for (std::size_t i = 0; i < params.levels.size(); ++i) {
    const int g = params.levels[i];
    if (g < 1 || g > 64) return "pyramid level " + std::to_string(g) + " is not a grid side in 1..64";
    if (i > 0 && g <= params.levels[i - 1]) {
      return "pyramid levels must increase strictly (e.g. 1:2:4), got " +
             format_pyramid_levels(params.levels);
    }
  }
  return std::nullopt;
}

std::vector<int> parse_pyramid_levels(const std::string& text) {
  std::vector<int> levels;
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = text.find(':', pos);
    const std::string part = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    std::size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (part.empty() || used != part.size()) {
      throw std::invalid_argument("pyramid=" + text +
                                  " is not grid sides joined by ':' (e.g. pyramid=1:2:4)");
    }
    levels.push_back(value);
    if (end == std::string::npos) return levels;
    pos = end + 1;
  }
}

std::string format_pyramid_levels(const std::vector<int>& levels) {
  std::string s;
  for (int g : levels) s += (s.empty() ? "" : ":") + std::to_string(g);
  return s;
}

SpatialPyramid::SpatialPyramid(PyramidParams params) : params_(std::move(params)) {
  if (auto error = validate(params_)) throw std::invalid_argument(*error);
  for (int g : params_.levels) {
    first_cell_.push_back(cells_);
    cells_ += std::size_t(g) * g;
  }
}

void SpatialPyramid::check_size(cv::Size image, const std::string& who) const {
  const int finest = params_.levels.back();
  if (image.width >= finest && image.height >= finest) return;
  const std::string side = std::to_string(finest);
  throw std::invalid_argument(who + ": image " + std::to_string(image.width) + "x" +
                              std::to_string(image.height) + " is too small for the " + side + "x" + side +
                              " pyramid grid; needs at least " + side + "x" + side +
                              " pixels (or a coarser pyramid)");
}

cv::Rect SpatialPyramid::cell_rect(cv::Size image, std::size_t level, int cx, int cy) const {
  const int g = params_.levels[level];
  const int x0 = cx * image.width / g, x1 = (cx + 1) * image.width / g;
  const int y0 = cy * image.height / g, y1 = (cy + 1) * image.height / g;
  return {x0, y0, x1 - x0, y1 - y0};
}

std::size_t SpatialPyramid::cell_at(cv::Size image, std::size_t level, float x, float y) const {
  const int g = params_.levels[level];
  const int px = std::clamp(static_cast<int>(std::lround(x)), 0, image.width - 1);
  const int py = std::clamp(static_cast<int>(std::lround(y)), 0, image.height - 1);
  // The largest c with floor(c W / g) <= px: the cell whose cell_rect() holds the pixel.
  const int cx = std::min(g - 1, ((px + 1) * g - 1) / image.width);
  const int cy = std::min(g - 1, ((py + 1) * g - 1) / image.height);
  return first_cell_[level] + std::size_t(cy) * g + cx;
}

void SpatialPyramid::add(cv::Size image, float x, float y, const float* values, std::size_t width,
                         float* pooled) const {
  for (std::size_t l = 0; l < levels(); ++l) {
    float* block = pooled + cell_at(image, l, x, y) * width;
    for (std::size_t i = 0; i < width; ++i) block[i] += values[i];
  }
}

void SpatialPyramid::add(cv::Size image, float x, float y, std::size_t bin, float weight, std::size_t width,
                         float* pooled) const {
  for (std::size_t l = 0; l < levels(); ++l) pooled[cell_at(image, l, x, y) * width + bin] += weight;
}

float SpatialPyramid::level_weight(std::size_t level) const {
  if (!params_.lazebnik) return 1.0f;
  const int top = static_cast<int>(levels()) - 1;
  const int l = static_cast<int>(level);
  return std::ldexp(1.0f, l == 0 ? -top : -(top - l + 1));
}

void SpatialPyramid::apply_level_weights(float* pooled, std::size_t width) const {
  if (!params_.lazebnik) return;
  for (std::size_t l = 0; l < levels(); ++l) {
    const float w = level_weight(l);
    const std::size_t end = l + 1 < levels() ? first_cell_[l + 1] : cells_;
    for (std::size_t i = first_cell_[l] * width; i < end * width; ++i) pooled[i] *= w;
  }
}

}  // namespace featpipe::features
