#include "image_header.h"

#include <cctype>
#include <fstream>
#include <vector>

#include "featpipe/core/errors.h"

namespace featpipe::data {
namespace {

uint32_t be16(const uint8_t* p) { return uint32_t(p[0]) << 8 | p[1]; }
uint32_t be32(const uint8_t* p) { return be16(p) << 16 | be16(p + 2); }
int32_t le32(const uint8_t* p) {
  return static_cast<int32_t>(uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
                              uint32_t(p[3]) << 24);
}

std::optional<ImageDims> png(const std::vector<uint8_t>& b) {
  static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (b.size() < 24 || !std::equal(signature, signature + 8, b.begin())) return std::nullopt;
  if (b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') return std::nullopt;
  return ImageDims{be32(&b[16]), be32(&b[20])};
}

/// The first start-of-frame segment (SOF0..SOF15 but DHT, JPG and DAC) of a JPEG stream.
std::optional<ImageDims> jpeg(const std::vector<uint8_t>& b) {
  if (b.size() < 4 || b[0] != 0xff || b[1] != 0xd8) return std::nullopt;
  std::size_t i = 2;
  while (i + 4 <= b.size()) {
    if (b[i] != 0xff) return std::nullopt;
    const uint8_t marker = b[i + 1];
    if (marker == 0xff) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {  // no length
      i += 2;
      continue;
    }
    const uint32_t length = be16(&b[i + 2]);
    if (length < 2) return std::nullopt;
    const bool sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    if (sof) {
      if (i + 9 > b.size()) return std::nullopt;
      return ImageDims{be16(&b[i + 7]), be16(&b[i + 5])};
    }
    if (marker == 0xda || marker == 0xd9) return std::nullopt;  // scan data before any frame header
    i += 2 + length;
  }
  return std::nullopt;
}

std::optional<ImageDims> bmp(const std::vector<uint8_t>& b) {
  if (b.size() < 26 || b[0] != 'B' || b[1] != 'M') return std::nullopt;
  const int64_t width = le32(&b[18]), height = le32(&b[22]);  // height < 0: top-down rows
  return ImageDims{uint64_t(width < 0 ? -width : width), uint64_t(height < 0 ? -height : height)};
}

/// P1..P6: magic, then width and height as decimal text, with whitespace and # comments between (and, as
/// OpenCV reads them, any one byte right after a number).
std::optional<ImageDims> pnm(const std::vector<uint8_t>& b) {
  if (b.size() < 3 || b[0] != 'P' || b[1] < '1' || b[1] > '6') return std::nullopt;
  std::size_t i = 2;
  uint64_t values[2] = {0, 0};
  for (uint64_t& v : values) {
    while (i < b.size() && (std::isspace(b[i]) || b[i] == '#')) {
      if (b[i] == '#') {
        while (i < b.size() && b[i] != '\n') ++i;
      } else {
        ++i;
      }
    }
    const std::size_t start = i;
    while (i < b.size() && std::isdigit(b[i]) && i - start < 19) v = v * 10 + (b[i++] - '0');
    if (i == start) return std::nullopt;
    ++i;  // OpenCV's reader takes the byte after a number as its end, whatever it is: so must this one
  }
  return ImageDims{values[0], values[1]};
}

}  // namespace

std::optional<ImageDims> image_header_dims(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<uint8_t> b(64 * 1024);  // JPEG frame headers follow EXIF / ICC segments of up to 64 KiB
  in.read(reinterpret_cast<char*>(b.data()), static_cast<std::streamsize>(b.size()));
  b.resize(static_cast<std::size_t>(in.gcount()));
  for (auto reader : {png, jpeg, bmp, pnm}) {
    if (std::optional<ImageDims> dims = reader(b)) return dims;
  }
  return std::nullopt;
}

void check_image_dims(const std::string& path) {
  const std::optional<ImageDims> dims = image_header_dims(path);
  if (!dims) return;
  const long double pixels = static_cast<long double>(dims->width) * static_cast<long double>(dims->height);
  if (pixels <= static_cast<long double>(kMaxImagePixels)) return;
  throw InputError(path, "declares " + std::to_string(dims->width) + "x" + std::to_string(dims->height) +
                             " pixels, more than the " + std::to_string(kMaxImagePixels >> 20) +
                             " Mi pixels featpipe decodes from one image; downscale it or remove it");
}

}  // namespace featpipe::data
