#pragma once
// Training-set augmentation at extraction: `--augment flip` adds the horizontal mirror of every image
// (cv::flip(image, 1)), as classic pipelines added mirrored copies of their training images. A store of an
// augmented split holds the rows interleaved, image by image: row 2i is image i as it is, row 2i + 1 its
// mirror, both with image i's /index; /augment (uint8) marks them 0 and 1.
#include <cstddef>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

namespace featpipe::features {

enum class Augment { none, flip };

/// "none" | "flip"; std::invalid_argument naming the known values otherwise.
Augment parse_augment(const std::string& name);
std::string to_string(Augment augment);

/// Store rows per image: 1 for none, 2 for flip (the image, then its mirror).
std::size_t rows_per_image(Augment augment);

/// Which image a store row shows, and how: row r is image r / rows_per_image, mirrored when its /augment
/// value `variant` is 1.
struct AugmentedRow {
  std::size_t image = 0;
  uint8_t variant = 0;  // 0: as is, 1: mirrored
};
AugmentedRow augmented_row(Augment augment, std::size_t row);

/// The image a row of variant `variant` shows: `image` itself for 0, its horizontal mirror for 1.
cv::Mat augmented_image(const cv::Mat& image, uint8_t variant);

}  // namespace featpipe::features
