// Feature extraction speed on one core: featpipe's HOG (Dalal–Triggs and UoCTTI) and dense SIFT (flat
// window) on 28x28 Fashion-MNIST test images, beside VLFeat's vl_dsift with its flat window (C API) at the
// same step and bin size. bench_features.sh adds OpenCV's HOGDescriptor and scikit-image's hog
// (bench_features.py) and prints the ratios.
//
//   bench_features [N]   times the first N test images (default 10000), best of 3 passes, and prints one
//                        line per method: "<name> <images/s> <floats or descriptors per image>"
//
// Geometry. HOG: 4-pixel cells, 9 unsigned orientations, 2x2-cell (8x8-pixel) blocks at a 4-pixel stride,
// L2-Hys: 6x6 blocks x 36 = 1296 floats per image for Dalal–Triggs, the same as OpenCV's
// HOGDescriptor((28,28), (8,8), (4,4), (4,4), 9) and skimage's hog(pixels_per_cell=(4,4),
// cells_per_block=(2,2), orientations=9, block_norm='L2-Hys'). Dense SIFT: step 2, 4-pixel bins, flat window,
// no smoothing (magnif=0, as vl_dsift does none) and no contrast threshold: 8x8 = 64 descriptors of 128 per
// image for both. Both dense SIFT timings include the uint8 -> float [0, 1] conversion.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
#include <vl/dsift.h>
#include <vl/generic.h>
}

#include "featpipe/data/dataset.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/extractor.h"

namespace {

using featpipe::features::LocalFeatures;

constexpr int kPasses = 3;
constexpr int kStep = 2, kBin = 4;

/// Images per second of the best of kPasses passes of fn over n images.
double images_per_second(std::size_t n, const std::function<void(std::size_t)>& fn) {
  double best = 1e300;
  for (int pass = 0; pass < kPasses; ++pass) {
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < n; ++i) fn(i);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return static_cast<double>(n) / best;
}

/// vl_dsift with the flat window, reusing one filter; frames and descriptors copied out like ours.
class VlDsift {
 public:
  VlDsift(int width, int height) : filter_(vl_dsift_new_basic(width, height, kStep, kBin)) {
    vl_dsift_set_flat_window(filter_, 1);
  }
  ~VlDsift() { vl_dsift_delete(filter_); }
  VlDsift(const VlDsift&) = delete;
  VlDsift& operator=(const VlDsift&) = delete;

  void extract(const cv::Mat& image, LocalFeatures& out) {
    image.convertTo(unit_, CV_32F, 1.0 / 255.0);
    vl_dsift_process(filter_, unit_.ptr<float>());
    const int n = vl_dsift_get_keypoint_num(filter_);
    const VlDsiftKeypoint* k = vl_dsift_get_keypoints(filter_);
    const float* d = vl_dsift_get_descriptors(filter_);
    out.frames.clear();
    out.descriptors.assign(d, d + std::size_t(n) * 128);
    for (int i = 0; i < n; ++i) {
      out.frames.push_back({static_cast<float>(k[i].x), static_cast<float>(k[i].y), kBin / 3.0f, 0.0f});
    }
  }

 private:
  VlDsiftFilter* filter_;
  cv::Mat unit_;
};

}  // namespace

int main(int argc, char** argv) try {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 10000;
  cv::setNumThreads(1);
  const auto dataset = featpipe::data::open_dataset("fashion-mnist");
  if (n == 0 || n > dataset->size(featpipe::data::Source::test)) throw std::invalid_argument("bad N");
  std::vector<cv::Mat> images;
  for (std::size_t i = 0; i < n; ++i) images.push_back(dataset->image(featpipe::data::Source::test, i));
  const cv::Size size = images[0].size();

  for (const char* name : {"dalaltriggs", "uoctti"}) {
    const auto hog =
        featpipe::features::make_extractor(std::string("hog(cell=4,bins=9,variant=") + name + ")");
    const std::size_t dim = hog->dim(size, 1);
    std::vector<float> out(dim);
    const double rate = images_per_second(n, [&](std::size_t i) { hog->extract(images[i], out.data()); });
    std::printf("hog_%s %.1f %zu\n", name, rate, dim);
  }

  const auto dsift = featpipe::features::make_descriptor("dsift(step=2,size=4,fast=1,magnif=0,contrast=0)");
  VlDsift vl(size.width, size.height);
  LocalFeatures ours, theirs;
  // The same grid, checked on the first images, and nearly the same descriptors (ours uses a fast
  // atan2 approximation; the largest difference is printed).
  double max_diff = 0;
  for (std::size_t i = 0; i < std::min<std::size_t>(n, 100); ++i) {
    dsift->extract(images[i], ours);
    vl.extract(images[i], theirs);
    if (ours.size() != theirs.size()) {
      throw std::runtime_error("dsift: " + std::to_string(ours.size()) + " frames, vl_dsift " +
                               std::to_string(theirs.size()));
    }
    for (std::size_t k = 0; k < ours.size(); ++k) {
      if (ours.frames[k].x != theirs.frames[k].x || ours.frames[k].y != theirs.frames[k].y)
        throw std::runtime_error("dsift: frame centres differ from vl_dsift's");
    }
    for (std::size_t j = 0; j < ours.descriptors.size(); ++j)
      max_diff = std::max(max_diff, double(std::abs(ours.descriptors[j] - theirs.descriptors[j])));
  }
  const double ours_rate = images_per_second(n, [&](std::size_t i) { dsift->extract(images[i], ours); });
  const double vl_rate = images_per_second(n, [&](std::size_t i) { vl.extract(images[i], theirs); });
  std::printf("dsift %.1f %zu\n", ours_rate, ours.size());
  std::printf("vl_dsift %.1f %zu\n", vl_rate, theirs.size());
  std::printf("dsift_max_abs_diff %.3g 0\n", max_diff);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench_features: %s\n", e.what());
  return 1;
}
