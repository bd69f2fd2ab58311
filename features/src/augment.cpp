#include "featpipe/features/augment.h"

#include <stdexcept>

namespace featpipe::features {

Augment parse_augment(const std::string& name) {
  if (name == "none") return Augment::none;
  if (name == "flip") return Augment::flip;
  throw std::invalid_argument("unknown augmentation '" + name + "'; known: flip (horizontal mirror), none");
}

std::string to_string(Augment augment) { return augment == Augment::flip ? "flip" : "none"; }

std::size_t rows_per_image(Augment augment) { return augment == Augment::flip ? 2 : 1; }

AugmentedRow augmented_row(Augment augment, std::size_t row) {
  const std::size_t per_image = rows_per_image(augment);
  return {row / per_image, static_cast<uint8_t>(row % per_image)};
}

cv::Mat augmented_image(const cv::Mat& image, uint8_t variant) {
  if (variant == 0) return image;
  cv::Mat mirrored;
  cv::flip(image, mirrored, 1);
  return mirrored;
}

}  // namespace featpipe::features
