#pragma once
// Spatial pyramid pooling (Lazebnik, Schmid & Ponce, "Beyond bags of features", CVPR 2006): a histogram is
// accumulated over each cell of 1x1, 2x2, 4x4 ... grids laid over the image, and the cell histograms are
// concatenated. A level may also be a grid of R rows by C columns (Chatfield et al., BMVC 2011, pool over
// 1x1 + 2x2 + 3x1: three horizontal stripes). The histogram extractors pool pixels with it; bag-of-words
// encoding pools the codes of local descriptors at their frame positions.
#include <cstddef>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

namespace featpipe::features {

/// One level: a grid of `rows` cells along the image height by `cols` cells along its width.
struct PyramidLevel {
  int rows = 1;
  int cols = 1;
  friend bool operator==(const PyramidLevel&, const PyramidLevel&) = default;
};

/// The largest grid side of a level, rows or columns.
inline constexpr int kMaxPyramidSide = 64;

struct PyramidParams {
  std::vector<PyramidLevel> levels = {{1, 1}};  // {1x1, 2x2, 4x4} pools 1x1 + 2x2 + 4x4 cells
  bool lazebnik = false;  // weight level l of levels 0..L by 1/2^L (l = 0) or 1/2^(L-l+1)
};

/// Levels must be non-empty, with rows and columns in 1..kMaxPyramidSide, none repeated; square levels
/// increase strictly (1:2:4, as the Lazebnik weights assume); lazebnik needs square levels only.
std::optional<std::string> validate(const PyramidParams& params);

/// Levels joined by ':', each `S` (an S x S grid) or `RxC` (R rows along the height, C columns along the
/// width): "1:2:3x1" -> {1x1, 2x2, 3x1}; std::invalid_argument saying what is expected otherwise. Not
/// validated.
std::vector<PyramidLevel> parse_pyramid(const std::string& text);
/// {1x1, 2x2, 3x1} -> "1:2:3x1": square levels as their side, so a square pyramid reads as it always has.
std::string format_pyramid(const std::vector<PyramidLevel>& levels);

/// "4:6:8" -> {4, 6, 8}: non-negative integers joined by ':'; std::invalid_argument otherwise.
std::vector<int> parse_int_list(const std::string& text);
/// {4, 6, 8} -> "4:6:8".
std::string format_int_list(const std::vector<int>& values);

/// The cells of a pyramid, independent of the image size (given per call, so one pyramid serves every image).
/// Cells are numbered level by level and row-major within a level; a pooled vector is cells() consecutive
/// blocks of `width` values, one block per cell. In a level of R rows by C columns, cell (cx, cy) is number
/// cy * C + cx and covers pixel columns [floor(cx W / C), floor((cx + 1) W / C)) and pixel rows
/// [floor(cy H / R), floor((cy + 1) H / R)), so the cells of a level tile the image exactly.
class SpatialPyramid {
 public:
  /// Throws std::invalid_argument with validate()'s message.
  explicit SpatialPyramid(PyramidParams params);

  const PyramidParams& params() const { return params_; }
  std::size_t levels() const { return params_.levels.size(); }
  /// Sum over levels of rows * cols.
  std::size_t cells() const { return cells_; }
  /// Index of the first cell of a level.
  std::size_t first_cell(std::size_t level) const { return first_cell_[level]; }

  /// Throws std::invalid_argument, naming `who` and the size that would work, when the image has fewer
  /// pixel columns or rows than some level has cells along them (a cell would hold no pixel).
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
