// The dataset over images held in memory (what the Python module passes numpy arrays as): read in place, RGB
// converted to featpipe's BGR, and shapes or labels that cannot be images refused by name.
#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/data/array_dataset.h"
#include "featpipe/data/split.h"

namespace featpipe::data {
namespace {

TEST(ArrayDataset, GreyImagesAreReadInPlace) {
  std::vector<uint8_t> pixels(3 * 4 * 5);
  std::iota(pixels.begin(), pixels.end(), 0);
  const auto dataset = make_array_dataset({pixels.data(), 3, cv::Size(5, 4), 1});
  EXPECT_EQ(dataset->size(Source::train), 3u);
  EXPECT_EQ(dataset->size(Source::test), 0u);
  EXPECT_EQ(dataset->class_names(), std::vector<std::string>{"0"});
  const cv::Mat image = dataset->image(Source::train, 2);
  EXPECT_EQ(image.data, pixels.data() + 2 * 20);  // no copy
  EXPECT_EQ(image.size(), cv::Size(5, 4));
  EXPECT_EQ(image.at<uint8_t>(1, 3), 2 * 20 + 1 * 5 + 3);
  EXPECT_THROW(dataset->image(Source::train, 3), std::out_of_range);  // a caller's bug, as for every dataset
}

TEST(ArrayDataset, RgbBecomesBgrAndBgrIsReadInPlace) {
  const std::vector<uint8_t> pixels = {10, 20, 30, 40, 50, 60};  // one 2x1 image, RGB
  const auto rgb = make_array_dataset({pixels.data(), 1, cv::Size(2, 1), 3, true});
  const cv::Mat image = rgb->image(Source::train, 0);
  EXPECT_EQ(image.at<cv::Vec3b>(0, 1), cv::Vec3b(60, 50, 40));
  const auto bgr = make_array_dataset({pixels.data(), 1, cv::Size(2, 1), 3, false});
  EXPECT_EQ(bgr->image(Source::train, 0).data, pixels.data());
}

TEST(ArrayDataset, LabelsAndNamesAndErrorsNameTheArray) {
  std::vector<uint8_t> pixels(4 * 9);
  const ImageArray images{pixels.data(), 4, cv::Size(3, 3), 1};
  const auto dataset = make_array_dataset(images, {0, 2, 1, 2}, {}, "images");
  EXPECT_EQ(dataset->class_names(), (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(dataset->label(Source::train, 1), 2);
  const SplitView view = select_split(*dataset, Split::train, {});
  EXPECT_EQ(describe_image(view, 3), "images[3]");
  const auto refused = [&](const ImageArray& a, std::vector<int32_t> labels, std::vector<std::string> names,
                           const std::string& message) {
    try {
      make_array_dataset(a, std::move(labels), std::move(names), "images");
      ADD_FAILURE() << "accepted: " << message;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("images: " + message), std::string::npos) << e.what();
    }
  };
  refused({pixels.data(), 0, cv::Size(3, 3), 1}, {}, {}, "holds no image");
  refused({pixels.data(), 4, cv::Size(0, 3), 1}, {}, {}, "has images of 0x3 pixels");
  refused({pixels.data(), 4, cv::Size(3, 3), 2}, {}, {}, "has 2 channels per pixel");
  refused(images, {0, 1}, {}, "has 4 images but 2 labels");
  refused(images, {0, 1, -1, 0}, {}, "has a negative label");
  refused(images, {0, 1, 2, 0}, {"a", "b"}, "has label 2 but 2 class names");
}

}  // namespace
}  // namespace featpipe::data
