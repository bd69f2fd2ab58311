#pragma once
// The in-memory dataset shared by the IDX, CIFAR-10 and synthetic readers: one contiguous uint8 buffer
// per source set, image() a header over it (no copy, so concurrent readers need no locking).
#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "featpipe/data/dataset.h"

namespace featpipe::data {

/// One source set: count() images of rows x cols x channels, row-major H x W x C, back to back.
struct ImageSet {
  std::vector<uint8_t> pixels;
  std::vector<int32_t> labels;
};

/// Builds the dataset, resizing every image first (cv::INTER_AREA) when options.resize is set.
/// Requires pixels.size() == labels.size() * size.area() * channels for both sets.
std::unique_ptr<Dataset> make_memory_dataset(std::string spec, std::vector<std::string> class_names,
                                             cv::Size size, int channels, ImageSet train, ImageSet test,
                                             const OpenOptions& options);

}  // namespace featpipe::data
