#pragma once
// Datasets named by a spec string (DESIGN.md): fashion-mnist, mnist:DIR, idx:DIR, cifar10:DIR, folder:DIR,
// synthetic:shapes. A dataset holds a source `train` and `test` set; splits (train / val / test) are views
// of rows of those (see split.h).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace featpipe::data {

enum class Source { train, test };

struct OpenOptions {
  std::optional<cv::Size> resize;  // every image resized to this (INTER_AREA); required for folder
                                   // datasets whose images differ in size before extraction
  uint64_t seed = 0;               // synthetic data generation
};

/// An opened dataset. image() and label() are thread-safe; image() of an in-memory set is a cheap
/// header over shared pixels (do not write to it), of a folder set a fresh decode.
class Dataset {
 public:
  virtual ~Dataset() = default;

  /// The spec as given (`cifar10:/data/c10`), recorded in provenance.
  virtual std::string spec() const = 0;
  virtual const std::vector<std::string>& class_names() const = 0;
  virtual std::size_t size(Source s) const = 0;
  /// uint8, H x W x C with C = 1 (grey) or 3 (BGR, OpenCV's order). Throws InputError naming the file
  /// when an image cannot be decoded.
  virtual cv::Mat image(Source s, std::size_t i) const = 0;
  virtual int label(Source s, std::size_t i) const = 0;
  /// All labels of a source set, in row order.
  virtual std::vector<int32_t> labels(Source s) const;
  /// The image size when every image has the same size (after --resize), otherwise empty.
  virtual std::optional<cv::Size> uniform_size() const = 0;
  virtual int channels() const = 0;
};

/// Opens a dataset from its spec. Throws InputError ("<path>: <problem>") on a missing path, a wrong
/// IDX magic number, truncated data, mismatched image / label counts, a CIFAR batch whose size is not a
/// multiple of 3073, a label out of range, an unreadable image in a folder, or an empty class folder; and
/// std::invalid_argument-derived InputError on an unknown spec.
std::unique_ptr<Dataset> open_dataset(const std::string& spec, const OpenOptions& options = {});

/// Where a named dataset is looked for: $FEATPIPE_FASHION_MNIST or /usr/share/datasets/fashion-mnist.
std::string fashion_mnist_dir();

/// Every dataset spec `featpipe datasets` knows how to probe without a path: fashion-mnist and the
/// synthetic generators.
std::vector<std::string> known_dataset_specs();

}  // namespace featpipe::data
