// CIFAR-10, binary version (https://www.cs.toronto.edu/~kriz/cifar.html): each record is one label byte
// then 3072 bytes: the 32x32 red plane, green plane and blue plane, rows first. Stored here interleaved
// BGR, OpenCV's order.
#include <filesystem>
#include <fstream>

#include "featpipe/core/errors.h"
#include "featpipe/data/class_names.h"
#include "featpipe/data/input_files.h"
#include "gzip_reader.h"
#include "memory_dataset.h"
#include "readers.h"

namespace featpipe::data {
namespace {

constexpr int kSide = 32;
constexpr std::size_t kPlane = kSide * kSide;
constexpr std::size_t kRecord = 1 + 3 * kPlane;  // 3073

const char* const kExpected = "data_batch_1.bin .. data_batch_5.bin, test_batch.bin and batches.meta.txt";

std::string join(const std::string& dir, const std::string& name) {
  return (std::filesystem::path(dir) / name).string();
}

std::string require_file(const std::string& dir, const std::string& name) {
  const std::string path = join(dir, name);
  require_input_file(path, std::string("a cifar10 folder (cifar-10-batches-bin) holds ") + kExpected);
  return path;
}

std::vector<std::string> read_class_names(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot be read; check its permissions");
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;  // the official file ends with blank lines
    names.push_back(line.substr(b, line.find_last_not_of(" \t\r") - b + 1));
  }
  if (names.empty()) throw InputError(path, "holds no class names; it should list one class name per line");
  check_class_names(names, path);
  return names;
}

/// Appends the records of one batch file to set, converting planar RGB to interleaved BGR.
void append_batch(const std::string& path, std::size_t num_classes, ImageSet& set) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  if (bytes.empty() || bytes.size() % kRecord != 0) {
    throw InputError(path, "holds " + std::to_string(bytes.size()) + " bytes, not a positive multiple of " +
                               std::to_string(kRecord) +
                               " (1 label byte + 3072 pixel bytes per image); the file is truncated or "
                               "not a CIFAR-10 binary batch (the python version is not supported)");
  }
  const std::size_t count = bytes.size() / kRecord;
  const std::size_t first = set.labels.size();
  set.labels.resize(first + count);
  set.pixels.resize((first + count) * 3 * kPlane);
  for (std::size_t r = 0; r < count; ++r) {
    const uint8_t* record = bytes.data() + r * kRecord;
    if (record[0] >= num_classes) {
      throw InputError(path, "record " + std::to_string(r) + " has label " + std::to_string(record[0]) +
                                 " but batches.meta.txt names only " + std::to_string(num_classes) +
                                 " classes; check the batch and the class list belong together");
    }
    set.labels[first + r] = record[0];
    const uint8_t* red = record + 1;
    const uint8_t* green = red + kPlane;
    const uint8_t* blue = green + kPlane;
    uint8_t* out = set.pixels.data() + (first + r) * 3 * kPlane;
    for (std::size_t p = 0; p < kPlane; ++p) {
      out[3 * p + 0] = blue[p];
      out[3 * p + 1] = green[p];
      out[3 * p + 2] = red[p];
    }
  }
}

}  // namespace

std::unique_ptr<Dataset> open_cifar10(const std::string& spec, const std::string& dir_arg,
                                      const OpenOptions& options) {
  require_directory(dir_arg, std::string("the CIFAR-10 binary batches: ") + kExpected);
  // Accept the folder the archive was unpacked in as well as cifar-10-batches-bin itself.
  std::string dir = dir_arg;
  if (!std::filesystem::exists(join(dir, "data_batch_1.bin")) &&
      std::filesystem::is_directory(join(dir, "cifar-10-batches-bin"))) {
    dir = join(dir, "cifar-10-batches-bin");
  }
  const std::vector<std::string> names = read_class_names(require_file(dir, "batches.meta.txt"));
  std::vector<std::string> train_files;
  for (int b = 1; b <= 5; ++b)
    train_files.push_back(require_file(dir, "data_batch_" + std::to_string(b) + ".bin"));
  const std::string test_file = require_file(dir, "test_batch.bin");

  ImageSet train, test;
  std::size_t train_records = 0;
  for (const std::string& f : train_files) train_records += std::filesystem::file_size(f) / kRecord;
  train.pixels.reserve(train_records * 3 * kPlane);
  train.labels.reserve(train_records);
  for (const std::string& f : train_files) append_batch(f, names.size(), train);
  append_batch(test_file, names.size(), test);
  return make_memory_dataset(spec, names, cv::Size(kSide, kSide), 3, std::move(train), std::move(test),
                             options);
}

}  // namespace featpipe::data
