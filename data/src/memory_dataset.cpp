#include "memory_dataset.h"

#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "readers.h"

namespace featpipe::data {
namespace {

class MemoryDataset final : public Dataset {
 public:
  MemoryDataset(std::string spec, std::vector<std::string> class_names, cv::Size size, int channels,
                ImageSet train, ImageSet test)
      : spec_(std::move(spec)),
        class_names_(std::move(class_names)),
        size_(size),
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
    return cv::Mat(size_, CV_8UC(channels_), data);
  }

  int label(Source s, std::size_t i) const override {
    check_index(s, i);
    return set(s).labels[i];
  }

  std::vector<int32_t> labels(Source s) const override { return set(s).labels; }
  std::optional<cv::Size> uniform_size() const override { return size_; }
  int channels() const override { return channels_; }

 private:
  const ImageSet& set(Source s) const { return sets_[s == Source::train ? 0 : 1]; }

  void check_index(Source s, std::size_t i) const { check_image_index(spec_, s, i, size(s)); }

  std::string spec_;
  std::vector<std::string> class_names_;
  cv::Size size_;
  int channels_;
  ImageSet sets_[2];
};

std::vector<uint8_t> resize_all(const std::vector<uint8_t>& pixels, std::size_t count, cv::Size from,
                                cv::Size to, int channels) {
  const std::size_t in_bytes = std::size_t(from.area()) * channels;
  const std::size_t out_bytes = std::size_t(to.area()) * channels;
  std::vector<uint8_t> out(count * out_bytes);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t i = 0; i < std::ptrdiff_t(count); ++i) {
    const cv::Mat src(from, CV_8UC(channels), const_cast<uint8_t*>(pixels.data() + i * in_bytes));
    cv::Mat dst(to, CV_8UC(channels), out.data() + i * out_bytes);
    cv::resize(src, dst, to, 0, 0, cv::INTER_AREA);
  }
  return out;
}

}  // namespace

std::unique_ptr<Dataset> make_memory_dataset(std::string spec, std::vector<std::string> class_names,
                                             cv::Size size, int channels, ImageSet train, ImageSet test,
                                             const OpenOptions& options) {
  for (const ImageSet* set : {&train, &test}) {
    if (set->pixels.size() != set->labels.size() * size.area() * channels) {
      throw std::logic_error("make_memory_dataset: pixel buffer does not match the label count");
    }
  }
  if (options.resize && *options.resize != size) {
    for (ImageSet* set : {&train, &test}) {
      set->pixels = resize_all(set->pixels, set->labels.size(), size, *options.resize, channels);
    }
    size = *options.resize;
  }
  return std::make_unique<MemoryDataset>(std::move(spec), std::move(class_names), size, channels,
                                         std::move(train), std::move(test));
}

}  // namespace featpipe::data
