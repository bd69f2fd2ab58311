#pragma once
// Shared by the dataset fuzz targets: reads everything an opened Dataset exposes and aborts when one of
// the contracts of dataset.h is broken, so that libFuzzer reports it.
#include <cstdio>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <stdexcept>

#include "featpipe/data/dataset.h"

namespace featpipe::fuzz {

[[noreturn]] inline void contract_broken(const char* what) {
  std::fprintf(stderr, "featpipe fuzz: contract broken: %s\n", what);
  std::abort();
}

/// Every label, every image (each pixel read, so ASan sees any overrun) and the out-of-range errors.
inline void exercise(const data::Dataset& dataset) {
  const std::size_t classes = dataset.class_names().size();
  if (classes == 0) contract_broken("no class names");
  const int channels = dataset.channels();
  if (channels != 1 && channels != 3) contract_broken("channels() is neither 1 nor 3");
  const std::optional<cv::Size> uniform = dataset.uniform_size();
  if (uniform && (uniform->width <= 0 || uniform->height <= 0))
    contract_broken("uniform_size() not positive");
  for (data::Source s : {data::Source::train, data::Source::test}) {
    const std::size_t n = dataset.size(s);
    if (dataset.labels(s).size() != n) contract_broken("labels().size() != size()");
    for (std::size_t i = 0; i < n; ++i) {
      const int label = dataset.label(s, i);
      if (label < 0 || std::size_t(label) >= classes) contract_broken("label outside the class names");
      const cv::Mat image = dataset.image(s, i);
      if (image.empty() || image.depth() != CV_8U || image.channels() != channels) {
        contract_broken("image() is not uint8 with channels() channels");
      }
      if (uniform && image.size() != *uniform) contract_broken("image() size differs from uniform_size()");
      volatile double sum = cv::sum(image)[0];
      (void)sum;
    }
    try {
      dataset.image(s, n);
      contract_broken("image(size()) did not throw");
    } catch (const std::out_of_range&) {
    }
  }
}

}  // namespace featpipe::fuzz
