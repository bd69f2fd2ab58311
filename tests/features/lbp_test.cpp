// LBP computed two ways: ours on 8-bit pixels against VLFeat's vl_lbp on the same pixels as floats.
#include <gtest/gtest.h>

#include <memory>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "featpipe/features/extractor.h"
#include "features/test_images.h"

extern "C" {
#include <vl/lbp.h>
}

using featpipe::features::make_extractor;

namespace {

/// vl_lbp on the grey image, re-laid from VLFeat's planar [k][y][x] to our cell-major [y][x][k].
std::vector<float> vlfeat_lbp(const cv::Mat& image, int cell) {
  cv::Mat grey = image;
  if (image.channels() == 3) cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  cv::Mat f;
  grey.convertTo(f, CV_32F);
  std::unique_ptr<VlLbp, decltype(&vl_lbp_delete)> lbp(vl_lbp_new(VlLbpUniform, VL_FALSE), vl_lbp_delete);
  const std::size_t cw = image.cols / cell, ch = image.rows / cell, dim = vl_lbp_get_dimension(lbp.get());
  std::vector<float> planar(cw * ch * dim, 0.0f), ours(planar.size());  // vl_lbp accumulates: zero first
  vl_lbp_process(lbp.get(), planar.data(), f.ptr<float>(), image.cols, image.rows, cell);
  for (std::size_t k = 0; k < dim; ++k) {
    for (std::size_t i = 0; i < cw * ch; ++i) ours[i * dim + k] = planar[k * cw * ch + i];
  }
  return ours;
}

TEST(Lbp, MatchesVlLbpOnFashionMnist) {
  const auto grey = featpipe::test::fashion_mnist_images(40);
  const auto colour = featpipe::test::colour_composites(grey, 10);
  for (int cell : {4, 5, 7, 8, 28}) {
    const auto ours = make_extractor("lbp(cell=" + std::to_string(cell) + ")");
    for (const auto* set : {&grey, &colour}) {
      for (const cv::Mat& image : *set) {
        std::vector<float> out(ours->dim(image.size(), image.channels()));
        ours->extract(image, out.data());
        const std::vector<float> expected = vlfeat_lbp(image, cell);
        ASSERT_EQ(out.size(), expected.size());
        // Same comparisons on the same pixels; only float summation order may differ.
        for (std::size_t i = 0; i < out.size(); ++i)
          ASSERT_NEAR(out[i], expected[i], 1e-5) << "cell=" << cell;
      }
    }
  }
}

TEST(Lbp, UniformPatternsOfSimpleImages) {
  // A flat image: every pattern is the constant one (bin 56), so each cell is the unit vector on it.
  const auto ex = make_extractor("lbp(cell=4)");
  std::vector<float> out(ex->dim({8, 8}, 1));
  ex->extract(cv::Mat(8, 8, CV_8UC1, cv::Scalar(9)), out.data());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_FLOAT_EQ(out[i], i % 58 == 56 ? 1.0f : 0.0f);
  EXPECT_EQ(ex->dim({28, 28}, 3), 7u * 7u * 58u);
}

}  // namespace
