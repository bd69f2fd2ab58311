#pragma once
// A dataset over images another program holds in memory (a numpy array from Python): N images of one size,
// uint8, H x W x C row-major and back to back, read in place. They form the `train` source; `test` is empty.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "featpipe/data/dataset.h"

namespace featpipe::data {

struct ImageArray {
  const uint8_t* pixels = nullptr;  // count x size.height x size.width x channels, not owned: it must
                                    // outlive the dataset
  std::size_t count = 0;
  cv::Size size;
  int channels = 1;  // 1 (grey) or 3
  bool rgb = true;   // colour in red, green, blue order (numpy's convention): image() converts to BGR,
                     // OpenCV's and every featpipe reader's order, into a fresh Mat; false: already BGR,
                     // image() is a header over the pixels
};

/// The dataset of the images, labelled `labels` (one per image; empty: all 0) with `class_names` (empty:
/// "0" .. the largest label). Throws InputError naming `spec` on a shape the readers never give (no image,
/// an empty size, other than 1 or 3 channels) or a label count or value that does not fit.
std::unique_ptr<Dataset> make_array_dataset(const ImageArray& images, std::vector<int32_t> labels = {},
                                            std::vector<std::string> class_names = {},
                                            std::string spec = "array");

}  // namespace featpipe::data
