#include "featpipe/features/spatial_pyramid.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace featpipe::features {

namespace {

std::string level_name(const PyramidLevel& level) {
  return level.rows == level.cols ? std::to_string(level.rows)
                                  : std::to_string(level.rows) + "x" + std::to_string(level.cols);
}

/// A whole decimal integer, or std::nullopt.
std::optional<int> whole_int(const std::string& text) {
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (text.empty() || used != text.size() || !std::isdigit(static_cast<unsigned char>(text[0]))) {
    return std::nullopt;
  }
  return value;
}

/// The parts of `text` between ':' (empty parts kept, so "1::2" shows up as an empty part).
std::vector<std::string> colon_parts(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = text.find(':', pos);
    parts.push_back(text.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
    if (end == std::string::npos) return parts;
    pos = end + 1;
  }
}

}  // namespace

std::optional<std::string> validate(const PyramidParams& params) {
  if (params.levels.empty()) return "pyramid needs at least one level (e.g. pyramid=1:2:4)";
  int last_square = 0;
  for (std::size_t i = 0; i < params.levels.size(); ++i) {
    const PyramidLevel& level = params.levels[i];
    if (level.rows < 1 || level.rows > kMaxPyramidSide || level.cols < 1 || level.cols > kMaxPyramidSide) {
      return "pyramid level " + level_name(level) + " is not a grid side (or rows x columns) in 1.." +
             std::to_string(kMaxPyramidSide);
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (params.levels[j] == level) {
        return "pyramid level " + level_name(level) + " appears twice in " + format_pyramid(params.levels);
      }
    }
    if (level.rows != level.cols) {
      if (params.lazebnik) {
        return "lazebnik=1 weights square pyramid levels (e.g. 1:2:4); level " + level_name(level) + " of " +
               format_pyramid(params.levels) + " is not square";
      }
      continue;
    }
    if (level.rows <= last_square) {
      return "pyramid levels must increase strictly (e.g. 1:2:4), got " + format_pyramid(params.levels);
    }
    last_square = level.rows;
  }
  return std::nullopt;
}

std::vector<PyramidLevel> parse_pyramid(const std::string& text) {
  std::vector<PyramidLevel> levels;
  for (const std::string& part : colon_parts(text)) {
    const std::size_t x = part.find('x');
    const std::optional<int> rows = whole_int(part.substr(0, x));
    const std::optional<int> cols = x == std::string::npos ? rows : whole_int(part.substr(x + 1));
    if (!rows || !cols) {
      throw std::invalid_argument("pyramid=" + text +
                                  " is not grid sides S or rows x columns RxC joined by ':' (e.g. "
                                  "pyramid=1:2:4 or pyramid=1:2:3x1)");
    }
    levels.push_back({*rows, *cols});
  }
  return levels;
}

std::string format_pyramid(const std::vector<PyramidLevel>& levels) {
  std::string s;
  for (const PyramidLevel& level : levels) s += (s.empty() ? "" : ":") + level_name(level);
  return s;
}

std::vector<int> parse_int_list(const std::string& text) {
  std::vector<int> values;
  for (const std::string& part : colon_parts(text)) {
    const std::optional<int> value = whole_int(part);
    if (!value) throw std::invalid_argument(text + " is not integers joined by ':'");
    values.push_back(*value);
  }
  return values;
}

std::string format_int_list(const std::vector<int>& values) {
  std::string s;
  for (int v : values) s += (s.empty() ? "" : ":") + std::to_string(v);
  return s;
}

SpatialPyramid::SpatialPyramid(PyramidParams params) : params_(std::move(params)) {
  if (auto error = validate(params_)) throw std::invalid_argument(*error);
  for (const PyramidLevel& level : params_.levels) {
    first_cell_.push_back(cells_);
    cells_ += std::size_t(level.rows) * level.cols;
  }
}

void SpatialPyramid::check_size(cv::Size image, const std::string& who) const {
  int rows = 0, cols = 0;
  for (const PyramidLevel& level : params_.levels) {
    rows = std::max(rows, level.rows);
    cols = std::max(cols, level.cols);
  }
  if (image.width >= cols && image.height >= rows) return;
  throw std::invalid_argument(who + ": image " + std::to_string(image.width) + "x" +
                              std::to_string(image.height) + " is too small for the pyramid " +
                              format_pyramid(params_.levels) + "; needs at least " + std::to_string(cols) +
                              "x" + std::to_string(rows) + " pixels (or a coarser pyramid)");
}

cv::Rect SpatialPyramid::cell_rect(cv::Size image, std::size_t level, int cx, int cy) const {
  const PyramidLevel& g = params_.levels[level];
  const int x0 = cx * image.width / g.cols, x1 = (cx + 1) * image.width / g.cols;
  const int y0 = cy * image.height / g.rows, y1 = (cy + 1) * image.height / g.rows;
  return {x0, y0, x1 - x0, y1 - y0};
}

std::size_t SpatialPyramid::cell_at(cv::Size image, std::size_t level, float x, float y) const {
  const PyramidLevel& g = params_.levels[level];
  const int px = std::clamp(static_cast<int>(std::lround(x)), 0, image.width - 1);
  const int py = std::clamp(static_cast<int>(std::lround(y)), 0, image.height - 1);
  // The largest c with floor(c W / C) <= px: the cell whose cell_rect() holds the pixel.
  const int cx = std::min(g.cols - 1, ((px + 1) * g.cols - 1) / image.width);
  const int cy = std::min(g.rows - 1, ((py + 1) * g.rows - 1) / image.height);
  return first_cell_[level] + std::size_t(cy) * g.cols + cx;
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
