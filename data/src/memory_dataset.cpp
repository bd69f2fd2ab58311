#include "memory_dataset.h"

#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "readers.h"

namespace featpipe::data {
namespace {

class MemoryDataset final : public Dataset {
 public:
  MemoryDataset(std::string spec, std::vector<std::string> class_names, cv::Size size, int channels,
                ImageSet train, ImageSet test, std::optional<cv::Size> resize)
      : spec_(std::move(spec)),
        class_names_(std::move(class_names)),
        size_(size),
        resize_(resize && *resize != size ? resize : std::nullopt),
        channels_(channels),
        sets_{std::move(train), std::move(test)} {}

  std::string spec() const override { return spec_; }
  const std::vector<std::string>& class_names() const override { return class_names_; }
  std::size_t size(Source s) const override { return set(s).labels.size(); }

  cv::Mat image(Source s, std::size_t i) const override {
    check_index(s, i);
    const std::size_t bytes = std::size_t(size_.area()) * channels_;
    // The header is read-only by contract (dataset.h); OpenCV has no const Mat over const data.
    auto* data = const_cast<uint8_t*>(set(s).pixels.data() + i * bytes);
    const cv::Mat stored(size_, CV_8UC(channels_), data);
    if (!resize_) return stored;
    // Resized when asked for, not at open: only the images a split or subset uses are resized, and only
    // the ones being worked on are held at the new size.
    cv::Mat resized;
    cv::resize(stored, resized, *resize_, 0, 0, cv::INTER_AREA);
    return resized;
  }

  int label(Source s, std::size_t i) const override {
    check_index(s, i);
    return set(s).labels[i];
  }

  std::vector<int32_t> labels(Source s) const override { return set(s).labels; }
  std::optional<cv::Size> uniform_size() const override { return resize_ ? *resize_ : size_; }
  int channels() const override { return channels_; }

 private:
  const ImageSet& set(Source s) const { return sets_[s == Source::train ? 0 : 1]; }

  void check_index(Source s, std::size_t i) const { check_image_index(spec_, s, i, size(s)); }

  std::string spec_;
  std::vector<std::string> class_names_;
  cv::Size size_;                   // as stored
  std::optional<cv::Size> resize_;  // the size image() returns, when it differs
  int channels_;
  ImageSet sets_[2];
};

}  // namespace

std::unique_ptr<Dataset> make_memory_dataset(std::string spec, std::vector<std::string> class_names,
                                             cv::Size size, int channels, ImageSet train, ImageSet test,
                                             const OpenOptions& options) {
  for (const ImageSet* set : {&train, &test}) {
    if (set->pixels.size() != set->labels.size() * size.area() * channels) {
      throw std::logic_error("make_memory_dataset: pixel buffer does not match the label count");
    }
  }
  return std::make_unique<MemoryDataset>(std::move(spec), std::move(class_names), size, channels,
                                         std::move(train), std::move(test), options.resize);
}

}  // namespace featpipe::data
