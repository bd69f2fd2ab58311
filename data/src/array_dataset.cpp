#include "featpipe/data/array_dataset.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "featpipe/core/errors.h"
#include "readers.h"

namespace featpipe::data {
namespace {

class ArrayDataset final : public Dataset {
 public:
  ArrayDataset(const ImageArray& images, std::vector<int32_t> labels, std::vector<std::string> class_names,
               std::string spec)
      : images_(images),
        labels_(std::move(labels)),
        class_names_(std::move(class_names)),
        spec_(std::move(spec)) {}

  std::string spec() const override { return spec_; }
  const std::vector<std::string>& class_names() const override { return class_names_; }
  std::size_t size(Source s) const override { return s == Source::train ? images_.count : 0; }

  cv::Mat image(Source s, std::size_t i) const override {
    check_image_index(spec_, s, i, size(s));
    const std::size_t bytes = std::size_t(images_.size.area()) * images_.channels;
    // Read-only by contract (dataset.h); OpenCV has no const Mat over const data.
    const cv::Mat stored(images_.size, CV_8UC(images_.channels),
                         const_cast<uint8_t*>(images_.pixels + i * bytes));
    if (images_.channels == 1 || !images_.rgb) return stored;
    cv::Mat bgr;
    cv::cvtColor(stored, bgr, cv::COLOR_RGB2BGR);
    return bgr;
  }

  int label(Source s, std::size_t i) const override {
    check_image_index(spec_, s, i, size(s));
    return labels_[i];
  }

  std::vector<int32_t> labels(Source s) const override {
    return s == Source::train ? labels_ : std::vector<int32_t>{};
  }
  std::optional<cv::Size> uniform_size() const override { return images_.size; }
  int channels() const override { return images_.channels; }
  std::string image_name(Source, std::size_t i) const override {
    return spec_ + "[" + std::to_string(i) + "]";
  }

 private:
  ImageArray images_;
  std::vector<int32_t> labels_;
  std::vector<std::string> class_names_;
  std::string spec_;
};

}  // namespace

std::unique_ptr<Dataset> make_array_dataset(const ImageArray& images, std::vector<int32_t> labels,
                                            std::vector<std::string> class_names, std::string spec) {
  if (images.count == 0) throw InputError(spec, "holds no image");
  if (images.size.width <= 0 || images.size.height <= 0) {
    throw InputError(spec, "has images of " + std::to_string(images.size.width) + "x" +
                               std::to_string(images.size.height) + " pixels; they need at least one");
  }
  if (images.channels != 1 && images.channels != 3) {
    throw InputError(spec, "has " + std::to_string(images.channels) +
                               " channels per pixel; featpipe takes 1 (grey) or 3 (colour)");
  }
  if (!images.pixels) throw InputError(spec, "has no pixel data");
  if (labels.empty()) labels.assign(images.count, 0);
  if (labels.size() != images.count) {
    throw InputError(spec, "has " + std::to_string(images.count) + " images but " +
                               std::to_string(labels.size()) + " labels");
  }
  const int32_t largest = *std::max_element(labels.begin(), labels.end());
  if (*std::min_element(labels.begin(), labels.end()) < 0) throw InputError(spec, "has a negative label");
  if (class_names.empty()) {
    for (int32_t c = 0; c <= largest; ++c) class_names.push_back(std::to_string(c));
  } else if (static_cast<std::size_t>(largest) >= class_names.size()) {
    throw InputError(spec, "has label " + std::to_string(largest) + " but " +
                               std::to_string(class_names.size()) + " class names");
  }
  return std::make_unique<ArrayDataset>(images, std::move(labels), std::move(class_names), std::move(spec));
}

}  // namespace featpipe::data
