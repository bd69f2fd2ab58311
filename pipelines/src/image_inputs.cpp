#include "featpipe/pipelines/image_inputs.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <string_view>

namespace featpipe::pipelines {
namespace {

namespace fs = std::filesystem;

bool has_image_extension(const fs::path& path) {
  static constexpr std::array<std::string_view, 14> kExtensions = {".png",  ".jpg",  ".jpeg", ".bmp", ".tif",
                                                                   ".tiff", ".webp", ".pgm",  ".ppm", ".pbm",
                                                                   ".pnm",  ".jp2",  ".exr",  ".hdr"};
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

/// The folder's image files, sorted; throws fs::filesystem_error when it cannot be listed.
template <typename Iterator>
std::vector<std::string> folder_images(const fs::path& folder) {
  std::vector<std::string> files;
  for (const fs::directory_entry& entry : Iterator(folder)) {
    std::error_code ec;
    if (entry.is_regular_file(ec) && has_image_extension(entry.path()))
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

ImageInputs expand_image_inputs(const std::vector<std::string>& inputs, bool recursive) {
  ImageInputs result;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (!fs::is_directory(input, ec)) {
      result.files.push_back(input);
      continue;
    }
    try {
      const std::vector<std::string> files = recursive
                                                 ? folder_images<fs::recursive_directory_iterator>(input)
                                                 : folder_images<fs::directory_iterator>(input);
      if (files.empty()) {
        result.skipped.push_back(
            {input, std::string("is a folder with no image files") +
                        (recursive ? "" : " (add --recursive to look in its subfolders)")});
      }
      result.files.insert(result.files.end(), files.begin(), files.end());
    } catch (const fs::filesystem_error& e) {
      result.skipped.push_back({input, "the folder cannot be listed (" + e.code().message() + ")"});
    }
  }
  return result;
}

}  // namespace featpipe::pipelines
