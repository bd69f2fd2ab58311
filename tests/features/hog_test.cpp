// HOG computed two ways: UoCTTI against VLFeat's vl_hog, Dalal–Triggs against OpenCV's HOGDescriptor, on
// real (Fashion-MNIST) images; and the flip test of VLFeat: HOG of a mirrored image == mirrored HOG.
#include "featpipe/features/hog.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <vector>

#include "features/test_images.h"

extern "C" {
#include <vl/hog.h>
}

using featpipe::features::HogParams;
using featpipe::features::HogVariant;
using featpipe::features::make_extractor;
using featpipe::features::make_hog;

namespace {

struct Difference {
  double max_abs = 0;
  double mean_abs = 0;
};

Difference compare(const std::vector<float>& a, const std::vector<float>& b) {
  Difference d;
  EXPECT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const double e = std::abs(double(a[i]) - b[i]);
    d.max_abs = std::max(d.max_abs, e);
    d.mean_abs += e;
  }
  d.mean_abs /= std::max<std::size_t>(1, a.size());
  return d;
}

std::vector<float> extract(const featpipe::features::FeatureExtractor& ex, const cv::Mat& image) {
  std::vector<float> out(ex.dim(image.size(), image.channels()));
  ex.extract(image, out.data());
  return out;
}

using VlHogPtr = std::unique_ptr<VlHog, decltype(&vl_hog_delete)>;

/// vl_hog with bilinear orientation assignment, re-laid from VLFeat's planar [k][y][x] to our cell-major
/// [y][x][k]. Pixels are given as v / 256, not v / 255: binary fractions make vl_hog's float gradient
/// magnitudes exact, so it breaks ties between equally strong channels as we do (first channel) instead of by
/// rounding. The scale itself changes only the 1e-4 epsilon of the block norms, relatively (256/255)^2.
std::vector<float> vlfeat_uoctti(const cv::Mat& image, int cell, int bins) {
  VlHogPtr hog(vl_hog_new(VlHogVariantUoctti, bins, VL_FALSE), vl_hog_delete);
  vl_hog_set_use_bilinear_orientation_assignments(hog.get(), VL_TRUE);
  std::vector<cv::Mat> planes;
  cv::split(image, planes);
  std::vector<float> pixels;
  for (const cv::Mat& p : planes) {
    cv::Mat f;
    p.convertTo(f, CV_32F, 1.0 / 256.0);
    pixels.insert(pixels.end(), f.begin<float>(), f.end<float>());
  }
  vl_hog_put_image(hog.get(), pixels.data(), image.cols, image.rows, image.channels(), cell);
  const std::size_t w = vl_hog_get_width(hog.get()), h = vl_hog_get_height(hog.get());
  const std::size_t dim = vl_hog_get_dimension(hog.get());
  std::vector<float> planar(w * h * dim), ours(w * h * dim);
  vl_hog_extract(hog.get(), planar.data());
  for (std::size_t k = 0; k < dim; ++k) {
    for (std::size_t i = 0; i < w * h; ++i) ours[i * dim + k] = planar[k * w * h + i];
  }
  return ours;
}

/// HOGDescriptor over the whole image as one window, re-laid from OpenCV's column-major blocks and cells
/// ([bx][by][cx][cy][bin]) to our row-major ones ([by][bx][cy][cx][bin]). A huge winSigma makes its
/// Gaussian window flat, to compare with sigma=0 (OpenCV's window is off-centre by half a pixel).
std::vector<float> opencv_dalal_triggs(const cv::Mat& image, int cell, int bins) {
  const cv::Size win(image.cols, image.rows), block(2 * cell, 2 * cell), stride(cell, cell);
  cv::HOGDescriptor hog(win, block, stride, cv::Size(cell, cell), bins, 1, 1e6);
  std::vector<float> theirs;
  hog.compute(image, theirs);
  const int nbx = image.cols / cell - 1, nby = image.rows / cell - 1;
  std::vector<float> ours(theirs.size());
  for (int bx = 0; bx < nbx; ++bx) {
    for (int by = 0; by < nby; ++by) {
      for (int cx = 0; cx < 2; ++cx) {
        for (int cy = 0; cy < 2; ++cy) {
          for (int k = 0; k < bins; ++k) {
            const std::size_t src = (((std::size_t(bx) * nby + by) * 2 + cx) * 2 + cy) * bins + k;
            const std::size_t dst = (((std::size_t(by) * nbx + bx) * 2 + cy) * 2 + cx) * bins + k;
            ours[dst] = theirs[src];
          }
        }
      }
    }
  }
  return ours;
}

class HogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    grey_ = new std::vector<cv::Mat>(featpipe::test::fashion_mnist_images(60));
    colour_ = new std::vector<cv::Mat>(featpipe::test::colour_composites(*grey_, 20));
  }
  static void TearDownTestSuite() {
    delete grey_;
    delete colour_;
  }
  static std::vector<cv::Mat>* grey_;
  static std::vector<cv::Mat>* colour_;
};
std::vector<cv::Mat>* HogTest::grey_ = nullptr;
std::vector<cv::Mat>* HogTest::colour_ = nullptr;

// Tolerance: our orientations come from a polynomial atan2 (error < 1e-5 rad); vl_hog splits a vote with
// acosf of a dot product near 1, which in float is off by up to ~1e-3 of the vote (e.g. 0.0014 where the
// exact share is 0.0004). Values are O(0.1); measured worst 1.4e-3 (max) and 1e-5 (mean).
constexpr double kVlMaxAbs = 2e-3, kVlMeanAbs = 2e-5;

TEST_F(HogTest, UocttiMatchesVlHogOnFashionMnist) {
  for (auto [cell, bins] : {std::pair{4, 9}, {7, 9}, {8, 9}, {5, 6}, {3, 12}}) {
    const auto ours = make_hog(HogParams{HogVariant::uoctti, cell, bins});
    Difference worst;
    for (const auto* set : {grey_, colour_}) {
      for (const cv::Mat& image : *set) {
        const Difference d = compare(extract(*ours, image), vlfeat_uoctti(image, cell, bins));
        worst.max_abs = std::max(worst.max_abs, d.max_abs);
        worst.mean_abs = std::max(worst.mean_abs, d.mean_abs);
      }
    }
    EXPECT_LT(worst.max_abs, kVlMaxAbs) << "cell=" << cell << " bins=" << bins;
    EXPECT_LT(worst.mean_abs, kVlMeanAbs) << "cell=" << cell << " bins=" << bins;
  }
}

TEST_F(HogTest, UocttiMatchesVlHogOnSizesThatDoNotDivide) {
  cv::Mat image;
  cv::resize((*colour_)[0], image, cv::Size(37, 30), 0, 0, cv::INTER_LINEAR);
  for (int cell : {4, 6, 8}) {
    const auto ours = make_hog(HogParams{HogVariant::uoctti, cell, 9});
    const Difference d = compare(extract(*ours, image), vlfeat_uoctti(image, cell, 9));
    EXPECT_LT(d.max_abs, kVlMaxAbs) << "cell=" << cell;
  }
}

// Tolerance: OpenCV's cartToPolar angles are off by up to 1.7e-4 rad (ours 1.2e-5), which moves up to 5e-4 of
// a vote between bins. L2-Hys values are O(0.1); measured worst 9e-4 (max) and 2.1e-5 (mean).
constexpr double kCvMaxAbs = 2e-3, kCvMeanAbs = 4e-5;

TEST_F(HogTest, DalalTriggsMatchesOpenCvHogDescriptor) {
  for (auto [cell, bins] : {std::pair{4, 9}, {7, 9}, {4, 6}}) {
    HogParams p{HogVariant::dalal_triggs, cell, bins};
    p.block_sigma = 0;
    const auto ours = make_hog(p);
    Difference worst;
    for (const cv::Mat& image : *grey_) {
      const Difference d = compare(extract(*ours, image), opencv_dalal_triggs(image, cell, bins));
      worst.max_abs = std::max(worst.max_abs, d.max_abs);
      worst.mean_abs = std::max(worst.mean_abs, d.mean_abs);
    }
    EXPECT_LT(worst.max_abs, kCvMaxAbs) << "cell=" << cell << " bins=" << bins;
    EXPECT_LT(worst.mean_abs, kCvMeanAbs) << "cell=" << cell << " bins=" << bins;
  }
}

TEST_F(HogTest, DalalTriggsMatchesOpenCvOnColourImages) {
  HogParams p{HogVariant::dalal_triggs, 4, 9};
  p.block_sigma = 0;
  const auto ours = make_hog(p);
  double mean = 0;
  for (const cv::Mat& image : *colour_) {
    const Difference d = compare(extract(*ours, image), opencv_dalal_triggs(image, 4, 9));
    mean = std::max(mean, d.mean_abs);
  }
  // Only the mean: OpenCV breaks ties between equally strong channels differently in its SIMD and scalar
  // paths, which can move one pixel's vote.
  EXPECT_LT(mean, kCvMeanAbs);
}

// Flip: mirrored cells in reverse x order, and each cell's (or block's) values permuted — for UoCTTI by
// vl_hog_get_permutation, for Dalal–Triggs by swapping a block's cell columns and bins k <-> bins-1-k.
TEST_F(HogTest, UocttiOfFlippedImageIsFlippedUoctti) {
  for (auto [cell, bins] : {std::pair{4, 9}, {7, 9}, {4, 8}}) {
    const auto ours = make_hog(HogParams{HogVariant::uoctti, cell, bins});
    VlHogPtr vl(vl_hog_new(VlHogVariantUoctti, bins, VL_FALSE), vl_hog_delete);
    const vl_index* perm = vl_hog_get_permutation(vl.get());
    const std::size_t dim = vl_hog_get_dimension(vl.get());
    for (const cv::Mat& image : {(*grey_)[0], (*grey_)[1], (*colour_)[0]}) {
      cv::Mat flipped;
      cv::flip(image, flipped, 1);
      const std::vector<float> h = extract(*ours, image), hf = extract(*ours, flipped);
      const int cw = (image.cols + cell / 2) / cell, ch = (image.rows + cell / 2) / cell;
      std::vector<float> expected(h.size());
      for (int y = 0; y < ch; ++y) {
        for (int x = 0; x < cw; ++x) {
          for (std::size_t k = 0; k < dim; ++k) {
            expected[(std::size_t(y) * cw + x) * dim + k] =
                h[(std::size_t(y) * cw + (cw - 1 - x)) * dim + perm[k]];
          }
        }
      }
      EXPECT_LT(compare(hf, expected).max_abs, 1e-5) << "cell=" << cell << " bins=" << bins;
    }
  }
}

TEST_F(HogTest, DalalTriggsOfFlippedImageIsFlippedDalalTriggs) {
  struct Case {
    int cell, bins;
    double sigma;
  };
  for (const Case c : {Case{4, 9, -1}, Case{7, 8, -1}, Case{4, 9, 0}, Case{4, 9, 3.5}}) {
    HogParams p{HogVariant::dalal_triggs, c.cell, c.bins};
    p.block_sigma = c.sigma;
    const auto ours = make_hog(p);
    const int cell = c.cell, bins = c.bins;
    for (const cv::Mat& image : {(*grey_)[2], (*colour_)[1]}) {
      cv::Mat flipped;
      cv::flip(image, flipped, 1);
      const std::vector<float> h = extract(*ours, image), hf = extract(*ours, flipped);
      const int nbx = image.cols / cell - 1, nby = image.rows / cell - 1;
      std::vector<float> expected(h.size());
      for (int by = 0; by < nby; ++by) {
        for (int bx = 0; bx < nbx; ++bx) {
          for (int cy = 0; cy < 2; ++cy) {
            for (int cx = 0; cx < 2; ++cx) {
              for (int k = 0; k < bins; ++k) {
                const std::size_t dst = (((std::size_t(by) * nbx + bx) * 2 + cy) * 2 + cx) * bins + k;
                const std::size_t src =
                    (((std::size_t(by) * nbx + (nbx - 1 - bx)) * 2 + cy) * 2 + (1 - cx)) * bins +
                    (bins - 1 - k);
                expected[dst] = h[src];
              }
            }
          }
        }
      }
      EXPECT_LT(compare(hf, expected).max_abs, 1e-5) << ours->spec();
    }
  }
}

TEST(HogParamsTest, ValidatesAndDescribesTheGeometry) {
  EXPECT_THROW(make_extractor("hog(cell=0)"), std::invalid_argument);
  EXPECT_THROW(make_extractor("hog(bins=1)"), std::invalid_argument);
  EXPECT_THROW(make_extractor("hog(variant=fast)"), std::invalid_argument);
  EXPECT_THROW(make_extractor("hog(sigma=1)"), std::invalid_argument);
  // 28x28 at cell 4: 7x7 cells of 31 (uoctti) or 6x6 blocks of 36 (dalaltriggs).
  EXPECT_EQ(make_extractor("hog(cell=4)")->dim({28, 28}, 1), 7u * 7u * 31u);
  EXPECT_EQ(make_extractor("hog(cell=4,variant=dalaltriggs)")->dim({28, 28}, 3), 6u * 6u * 36u);
  try {
    make_extractor("hog(cell=8,variant=dalaltriggs)")->dim({12, 40}, 1);
    FAIL() << "expected too small";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("16x16"), std::string::npos) << e.what();
  }
}

}  // namespace
