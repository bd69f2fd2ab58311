// IDX files (LeCun's MNIST format, also Fashion-MNIST): a big-endian header `0 0 type ndims`, ndims
// 32-bit sizes, then the data. Images are idx3 (count, rows, cols), labels idx1 (count), all unsigned bytes.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <future>

#include "featpipe/core/errors.h"
#include "featpipe/data/input_files.h"
#include "gzip_reader.h"
#include "memory_dataset.h"
#include "readers.h"

namespace featpipe::data {
namespace {

constexpr uint32_t kImageMagic = 0x00000803;                   // unsigned bytes, 3 dimensions
constexpr uint32_t kLabelMagic = 0x00000801;                   // unsigned bytes, 1 dimension
constexpr uint64_t kOpenCvMaxImagePixels = uint64_t(1) << 30;  // OpenCV's own limit for a decoded image

uint32_t read_be32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

/// DIR/NAME if it exists, else DIR/NAME.gz; InputError naming both when neither does.
std::string find_idx_file(const std::string& dir, const std::string& name) {
  const std::string plain = (std::filesystem::path(dir) / name).string();
  const std::string hint =
      "an IDX dataset folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte "
      "and t10k-labels-idx1-ubyte, each optionally gzipped";
  for (const std::string& path : {plain, plain + ".gz"}) {
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec))) continue;
    require_input_file(path, hint);  // a directory or a link to a device is named as such, not "not found"
    return path;
  }
  throw InputError(plain + ".gz", "not found (nor " + name + "); " + hint);
}

/// The file's bytes after a checked header; dims receives the sizes it declares.
std::vector<uint8_t> read_idx(const std::string& path, uint32_t magic, std::vector<uint32_t>& dims) {
  const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  const auto read = [&](std::size_t limit) {
    return gz ? read_gzip_file(path, limit) : read_file_bytes(path, limit);
  };
  const std::size_t ndims = magic & 0xff;
  const std::size_t header = 4 + 4 * ndims;
  // The header first, then no more than the data it declares: a file whose stream holds more (a gzip of
  // gigabytes of zeros behind a header of 20 images) is never inflated or read past that.
  std::vector<uint8_t> bytes = read(header);
  const std::string kind = ndims == 3 ? "image" : "label";
  if (bytes.size() < 4) {
    throw InputError(path, "holds " + std::to_string(bytes.size()) + " bytes, too few for an IDX " + kind +
                               " file; re-download it");
  }
  const uint32_t found = read_be32(bytes.data());
  if (found != magic) {
    std::string problem = "wrong magic number " + hex(found) + "; an IDX " + kind + " file starts with " +
                          hex(magic) + " (unsigned bytes, " + std::to_string(ndims) + " dimension" +
                          (ndims == 1 ? "" : "s") + ")";
    if (bytes[0] == 0x1f && bytes[1] == 0x8b) problem += "; this file is gzip-compressed, so name it *.gz";
    throw InputError(path, problem + "; check it is the right file");
  }
  if (bytes.size() < header) throw InputError(path, "truncated inside its header; re-download it");
  dims.resize(ndims);
  std::size_t expected = 1;
  for (std::size_t d = 0; d < ndims; ++d) {
    dims[d] = read_be32(bytes.data() + 4 + 4 * d);
    // Saturate: a garbage header must read as truncated, not overflow.
    expected = dims[d] != 0 && expected > SIZE_MAX / dims[d] ? SIZE_MAX : expected * dims[d];
  }
  if (expected != SIZE_MAX) bytes = read(header + expected);
  const std::size_t payload = bytes.size() - header;
  if (payload < expected) {
    std::string shape;
    for (uint32_t d : dims) shape += (shape.empty() ? "" : " x ") + std::to_string(d);
    throw InputError(path, "truncated: the header declares " + shape + " = " + std::to_string(expected) +
                               " bytes of data but the file holds only " + std::to_string(payload) +
                               "; re-download it");
  }
  bytes.erase(bytes.begin(), bytes.begin() + header);
  bytes.resize(expected);
  return bytes;
}

struct IdxSet {
  ImageSet images;
  cv::Size size;
  std::string image_path;
  std::string label_path;
};

IdxSet read_idx_set(const std::string& dir, const std::string& prefix) {
  const std::string image_path = find_idx_file(dir, prefix + "-images-idx3-ubyte");
  const std::string label_path = find_idx_file(dir, prefix + "-labels-idx1-ubyte");
  std::vector<uint32_t> image_dims, label_dims;
  IdxSet set;
  set.images.pixels = read_idx(image_path, kImageMagic, image_dims);
  const std::vector<uint8_t> labels = read_idx(label_path, kLabelMagic, label_dims);
  if (image_dims[0] != label_dims[0]) {
    throw InputError(label_path, "holds " + std::to_string(label_dims[0]) + " labels but " + image_path +
                                     " holds " + std::to_string(image_dims[0]) +
                                     " images; the two files must come from the same release");
  }
  if (image_dims[1] == 0 || image_dims[2] == 0) {
    throw InputError(image_path, "declares empty images (" + std::to_string(image_dims[1]) + " x " +
                                     std::to_string(image_dims[2]) + "); check it is the right file");
  }
  // A header of an empty set may declare any image size; cv::Size (int) must still hold it.
  if (uint64_t(image_dims[1]) * image_dims[2] > kOpenCvMaxImagePixels) {
    throw InputError(image_path, "declares images of " + std::to_string(image_dims[1]) + " x " +
                                     std::to_string(image_dims[2]) + " pixels, more than the " +
                                     std::to_string(kOpenCvMaxImagePixels) +
                                     " an image may have; check it is the right file");
  }
  set.size = cv::Size(int(image_dims[2]), int(image_dims[1]));
  set.images.labels.assign(labels.begin(), labels.end());
  set.image_path = image_path;
  set.label_path = label_path;
  return set;
}

void check_labels(const IdxSet& set, const std::vector<std::string>& class_names) {
  const auto& labels = set.images.labels;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] >= int32_t(class_names.size())) {
      throw InputError(set.label_path, "label " + std::to_string(labels[i]) + " at row " + std::to_string(i) +
                                           " is out of range: this dataset has " +
                                           std::to_string(class_names.size()) +
                                           " classes; check it is the right file");
    }
  }
}

/// "0".."9", or "0".."L" for a largest label L above 9, when every class from 10 to L has a training image:
/// a gap there (a single label 250 made 251 classes, 241 of them empty) is a damaged or foreign labels file.
std::vector<std::string> inferred_class_names(const IdxSet& train, const IdxSet& test) {
  int32_t max_label = 9;
  for (const IdxSet* set : {&train, &test}) {
    for (int32_t l : set->images.labels) max_label = std::max(max_label, l);
  }
  std::vector<bool> seen(std::size_t(max_label) + 1, false);
  for (int32_t l : train.images.labels) seen[std::size_t(l)] = true;
  for (int32_t c = 10; c <= max_label; ++c) {
    if (!seen[std::size_t(c)]) {
      throw InputError(train.label_path,
                       "labels reach " + std::to_string(max_label) + ", so classes 0.." +
                           std::to_string(max_label) + " would be inferred, but class " + std::to_string(c) +
                           " has no training image; above 9 every class up to the largest label needs one "
                           "(is this the labels file of this dataset?)");
    }
  }
  std::vector<std::string> names;
  for (int32_t c = 0; c <= max_label; ++c) names.push_back(std::to_string(c));
  return names;
}

}  // namespace

std::unique_ptr<Dataset> open_idx(const std::string& spec, const std::string& dir,
                                  const std::vector<std::string>& class_names, const OpenOptions& options) {
  require_directory(dir, "IDX files such as train-images-idx3-ubyte.gz");
  // The two sets decompress concurrently: gunzip is most of the time it takes to open Fashion-MNIST.
  std::future<IdxSet> test_future = std::async(std::launch::async, read_idx_set, dir, std::string("t10k"));
  IdxSet train = read_idx_set(dir, "train");
  IdxSet test = test_future.get();
  if (train.size != test.size) {
    throw InputError(test.image_path,
                     "holds " + std::to_string(test.size.height) + "x" + std::to_string(test.size.width) +
                         " images but the training images are " + std::to_string(train.size.height) + "x" +
                         std::to_string(train.size.width) + "; both sets must have one image size");
  }

  std::vector<std::string> names = class_names;
  if (names.empty()) names = inferred_class_names(train, test);
  check_labels(train, names);
  check_labels(test, names);
  return make_memory_dataset(spec, std::move(names), train.size, 1, std::move(train.images),
                             std::move(test.images), options);
}

}  // namespace featpipe::data
