#pragma once
// Private: the pixel size an image file declares in its header, read without decoding, so that an image
// too large to decode (or a small file claiming enormous dimensions) is refused before any allocation.
// PNG, JPEG, BMP and PNM (PBM/PGM/PPM) headers are read; other formats give nullopt and rely on
// OpenCV's own limit (2^30 pixels unless OPENCV_IO_MAX_IMAGE_PIXELS says otherwise), beyond which the
// image is reported as undecodable.
#include <cstdint>
#include <optional>
#include <string>

#include "featpipe/data/image_file.h"

namespace featpipe::data {

struct ImageDims {
  uint64_t width = 0, height = 0;
};

/// The dimensions in the header of the image file at path, when its format is one of the above and
/// the header is readable.
std::optional<ImageDims> image_header_dims(const std::string& path);

/// InputError naming path when its header declares more than kMaxImagePixels pixels.
void check_image_dims(const std::string& path);

}  // namespace featpipe::data
