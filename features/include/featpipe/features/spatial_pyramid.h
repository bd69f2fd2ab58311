#pragma once
// Spatial pyramid pooling (Lazebnik, Schmid & Ponce, "Beyond bags of features", CVPR 2006): a histogram is
// accumulated over each cell of 1x1, 2x2, 4x4 ... grids laid over the image, and the cell histograms are
// concatenated. The histogram extractors pool pixels with it; bag-of-words encoding pools the codes of local
// descriptors at their frame positions.
#include <cstddef>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

namespace featpipe::features {

struct PyramidParams {
  std::vector<int> levels = {1};  // grid side per level: {1, 2, 4} pools 1x1 + 2x2 + 4x4 cells
  bool lazebnik = false;          // weight level l of levels 0..L by 1/2^L (l = 0) or 1/2^(L-l+1)
};

/// Levels must be non-empty, each in 1..64, strictly increasing.
std::optional<std::string> validate(const PyramidParams& params);

/// "1:2:4" -> {1, 2, 4}; std::invalid_argument saying what is expected otherwise. Not validated.
std::vector<int> parse_pyramid_levels(const std::string& text);
/// {1, 2, 4} -> "1:2:4".
std::string format_pyramid_levels(const std::vector<int>& levels);

/// The cells of a pyramid, independent of the image size (given per call, so one pyramid serves every image).
/// Cells are numbered level by level and row-major within a level; a pooled vector is cells() consecutive
/// blocks of `width` values, one block per cell. Cell c of a grid of side g covers pixel columns
/// [floor(c W / g), floor((c + 1) W / g)), so the cells of a level tile the image exactly.
class SpatialPyramid {
 public:
  /// Throws std::invalid_argument with validate()'s message.
  explicit SpatialPyramid(PyramidParams params);

  const PyramidParams& params() const { return params_; }
  std::size_t levels() const { return params_.levels.size(); }
  /// Sum over levels of g * g.
  std::size_t cells() const { return cells_; }
  /// Index of the first cell of a level.
  std::size_t first_cell(std::size_t level) const { return first_cell_[level]; }

  /// Throws std::invalid_argument, naming `who` and the size that would work, when the image is smaller than
  /// the finest grid (a cell would hold no pixel).
  void check_size(cv::Size image, const std::string& who) const;
  /// Pixels of cell (cx, cy) of a level.
  cv::Rect cell_rect(cv::Size image, std::size_t level, int cx, int cy) const;
  /// The cell holding the pixel nearest to (x, y) at a level (pixel centres at integer coordinates; points
  /// outside the image fall into the nearest border cell).
  std::size_t cell_at(cv::Size image, std::size_t level, float x, float y) const;

  /// Adds values[0, width) to the block of every level's cell holding (x, y).
  void add(cv::Size image, float x, float y, const float* values, std::size_t width, float* pooled) const;
  /// Adds weight to element `bin` of the block of every level's cell holding (x, y).
  void add(cv::Size image, float x, float y, std::size_t bin, float weight, std::size_t width,
           float* pooled) const;

  /// The Lazebnik weight of a level (1 when params().lazebnik is off).
  float level_weight(std::size_t level) const;
  /// Multiplies every block of each level by level_weight(level).
  void apply_level_weights(float* pooled, std::size_t width) const;

 private:
  PyramidParams params_;
  std::size_t cells_ = 0;
  std::vector<std::size_t> first_cell_;
};

}  // namespace featpipe::features
