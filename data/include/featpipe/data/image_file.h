#pragma once
// Image files read and written through OpenCV's image codecs, which are loaded into the process the first
// time an image file is touched. Debian's libopencv_imgcodecs pulls in over a hundred shared libraries
// (GDAL, GDCM, poppler, ...): linked, they made every run of featpipe pay 0.1-0.5 s of start-up, whether
// or not it read an image. Loaded here on first use (once per process, thread-safe), the commands that
// never read an image file start in a few milliseconds. The cv::IMREAD_* flags of <opencv2/imgcodecs.hpp>
// apply; nothing else of that header may be called directly in featpipe's libraries.
#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>

namespace featpipe::data {

/// The most pixels featpipe decodes from one image, or resizes one to: 2^27 (134 megapixels, 400 MB as
/// 8-bit BGR). read_image refuses a file whose header declares more before decoding it.
inline constexpr uint64_t kMaxImagePixels = uint64_t(1) << 27;

/// cv::imread(path, flags): an empty Mat when the file is missing, unreadable or cannot be decoded, as
/// cv::imread. InputError naming path when it is not a regular file, when its header declares more than
/// kMaxImagePixels, and for OpenCV's own errors.
cv::Mat read_image(const std::string& path, int flags);

/// cv::imwrite(path, image), the format from the extension. InputError naming path when the file cannot
/// be written (a missing folder, no permission, an extension OpenCV does not write).
void write_image(const std::string& path, const cv::Mat& image);

/// cv::haveImageReader(path): whether a codec recognises the file's first bytes (the file is opened).
bool has_image_reader(const std::string& path);

/// cv::haveImageWriter(path): whether OpenCV writes an image format of the name's extension (the file is
/// not touched).
bool has_image_writer(const std::string& path);

/// The file name (soname) of the codec library that is loaded on first use, e.g.
/// "libopencv_imgcodecs.so.406"; asking does not load it.
const char* image_codecs_library();

}  // namespace featpipe::data
