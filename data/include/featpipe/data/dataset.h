#pragma once
// Datasets named by a spec string (DESIGN.md): fashion-mnist, mnist:DIR, idx:DIR, cifar10:DIR, folder:DIR,
// synthetic:shapes. A dataset holds a source `train` and `test` set; splits (train / val / test) are views
// of rows of those (see split.h).
#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

namespace featpipe::data {

enum class Source { train, test };

struct OpenOptions {
  std::optional<cv::Size> resize;  // every image resized to this (INTER_AREA); required for folder
                                   // datasets whose images differ in size before extraction
  uint64_t seed = 0;               // synthetic data generation
};

/// An opened dataset. image() and label() are thread-safe; image() of an in-memory set is a cheap
/// header over shared pixels (do not write to it) unless it is resized, of a folder set a fresh decode.
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
  /// The size image(s, i) has, as cheaply as the kind can tell: a folder's from the file's header when its
  /// format has one featpipe reads (PNG, JPEG, BMP, PNM), without decoding; nullopt when it cannot tell
  /// without decoding. The default: uniform_size().
  virtual std::optional<cv::Size> image_size(Source s, std::size_t i) const;
  /// How an error names image i of a source set: "<spec> image <i> of train|test".
  virtual std::string image_name(Source s, std::size_t i) const;
};

/// Opens a dataset from its spec. Throws InputError ("<path>: <problem>") on a missing path, a wrong
/// IDX magic number, truncated data, mismatched image / label counts, a CIFAR batch whose size is not a
/// multiple of 3073, a label out of range, a non-image file in a folder, or an empty class folder; and
/// InputError naming the spec on an unknown kind (listing the known ones) or bad generator parameters.
///
/// Per kind: `fashion-mnist` reads fashion_mnist_dir() (`fashion-mnist:DIR` another folder) with the ten
/// built-in class names; `mnist:DIR` / `idx:DIR` name classes "0".."9" (up to the largest label when it
/// exceeds 9); `cifar10:DIR` takes names from batches.meta.txt and returns BGR; `folder:DIR` names classes
/// by the sorted folders of DIR/train, skips hidden files, is grey (1 channel) when its first training
/// image is, else BGR, and reports undecodable files from image(); `synthetic:shapes(classes=10,size=32,
/// train=1000,test=200,noise=10)` is generated from options.seed. Every kind resizes in image(), one image at
/// a time (a --resize of 100000x100000 is refused: more pixels than an image may have).
std::unique_ptr<Dataset> open_dataset(const std::string& spec, const OpenOptions& options = {});

/// Checks a spec as open_dataset would before reading anything: the kind, the directory or generator after
/// ':', and a synthetic generator's parameters (including the memory its sets would take). Throws the same
/// InputError; reads no file and generates nothing.
void validate_dataset_spec(const std::string& spec);

/// Where a named dataset is looked for: $FEATPIPE_FASHION_MNIST or /usr/share/datasets/fashion-mnist.
std::string fashion_mnist_dir();

/// Every dataset spec `featpipe datasets` knows how to probe without a path: fashion-mnist and the
/// synthetic generators.
std::vector<std::string> known_dataset_specs();

}  // namespace featpipe::data
