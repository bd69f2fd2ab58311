#pragma once
// The image files a command is given: files as named, and folders as the image files inside them.
#include <string>
#include <vector>

namespace featpipe::pipelines {

/// An input that gave no image to work on, and why (a folder that cannot be listed or holds no image).
struct SkippedInput {
  std::string path, reason;
};

struct ImageInputs {
  std::vector<std::string> files;  // in the order given, each folder's files sorted by path
  std::vector<SkippedInput> skipped;
};

/// Files are kept as given (whether they can be read is found when they are read). A folder stands for its
/// files whose extension names an image format OpenCV decodes (.png, .jpg, .jpeg, .bmp, .tif, .tiff, .webp,
/// .pgm, .ppm, .pbm, .pnm, .jp2, .exr, .hdr; any case), sorted by path so that runs list them in the same
/// order; its subfolders too when `recursive`. Other files of a folder (notes, labels) are left out.
ImageInputs expand_image_inputs(const std::vector<std::string>& inputs, bool recursive);

}  // namespace featpipe::pipelines
