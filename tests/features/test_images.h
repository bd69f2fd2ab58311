#pragma once
// Test images for the features tests: real Fashion-MNIST pictures read straight from the IDX file with zlib
// (independent of featpipe's data/ stage), and colour images composed from them.
#include <zlib.h>

#include <cstdint>
#include <opencv2/core.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace featpipe::test {

inline const char* kFashionMnistTestImages = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

/// The first `count` 28x28 grey images of the Fashion-MNIST test set.
inline std::vector<cv::Mat> fashion_mnist_images(int count) {
  gzFile f = gzopen(kFashionMnistTestImages, "rb");
  if (!f) throw std::runtime_error(std::string("cannot open ") + kFashionMnistTestImages);
  unsigned char header[16];
  std::vector<cv::Mat> images;
  if (gzread(f, header, sizeof header) == sizeof header) {
    for (int i = 0; i < count; ++i) {
      cv::Mat m(28, 28, CV_8UC1);
      if (gzread(f, m.data, 28 * 28) != 28 * 28) break;
      images.push_back(m);
    }
  }
  gzclose(f);
  if (static_cast<int>(images.size()) != count) throw std::runtime_error("short read of Fashion-MNIST");
  return images;
}

/// Colour images whose B, G and R planes are three different Fashion-MNIST pictures, so that the channel
/// with the strongest gradient changes across the image.
inline std::vector<cv::Mat> colour_composites(const std::vector<cv::Mat>& grey, int count) {
  std::vector<cv::Mat> images;
  for (int i = 0; i < count; ++i) {
    cv::Mat bgr;
    const cv::Mat planes[3] = {grey[(3 * i) % grey.size()], grey[(3 * i + 1) % grey.size()],
                               grey[(3 * i + 2) % grey.size()]};
    cv::merge(planes, 3, bgr);
    images.push_back(bgr);
  }
  return images;
}

}  // namespace featpipe::test
