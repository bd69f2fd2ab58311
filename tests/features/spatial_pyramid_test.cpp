// The pooling component on its own: cells tile the image, points and pixels agree on their cell, and the
// top level of pooled values is their sum.
#include "featpipe/features/spatial_pyramid.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <vector>

using featpipe::features::parse_pyramid_levels;
using featpipe::features::PyramidParams;
using featpipe::features::SpatialPyramid;

namespace {

TEST(SpatialPyramid, CellsTileTheImageAndAgreeWithCellAt) {
  const SpatialPyramid pyramid(PyramidParams{{1, 2, 3, 4}, false});
  EXPECT_EQ(pyramid.cells(), 1u + 4u + 9u + 16u);
  for (cv::Size size : {cv::Size(28, 28), cv::Size(31, 17), cv::Size(4, 5)}) {
    for (std::size_t level = 0; level < pyramid.levels(); ++level) {
      const int g = pyramid.params().levels[level];
      cv::Mat owner(size, CV_32S, cv::Scalar(-1));
      for (int cy = 0; cy < g; ++cy) {
        for (int cx = 0; cx < g; ++cx) {
          const cv::Rect r = pyramid.cell_rect(size, level, cx, cy);
          ASSERT_GT(r.area(), 0);
          for (int y = r.y; y < r.br().y; ++y) {
            for (int x = r.x; x < r.br().x; ++x) {
              EXPECT_EQ(owner.at<int>(y, x), -1) << "cells overlap";
              owner.at<int>(y, x) = static_cast<int>(pyramid.first_cell(level)) + cy * g + cx;
            }
          }
        }
      }
      for (int y = 0; y < size.height; ++y) {
        for (int x = 0; x < size.width; ++x) {
          EXPECT_EQ(owner.at<int>(y, x), static_cast<int>(pyramid.cell_at(size, level, float(x), float(y))));
        }
      }
    }
  }
}

TEST(SpatialPyramid, LevelOneOfPooledPointsIsTheirSum) {
  const SpatialPyramid pyramid(PyramidParams{{1, 2, 4}, false});
  const cv::Size size(40, 30);
  const std::size_t width = 5;
  std::vector<float> pooled(pyramid.cells() * width, 0.0f), sum(width, 0.0f);
  cv::RNG rng(3);
  for (int i = 0; i < 200; ++i) {
    float values[width];
    for (float& v : values) v = rng.uniform(0.0f, 1.0f);
    pyramid.add(size, rng.uniform(-2.0f, 42.0f), rng.uniform(-2.0f, 32.0f), values, width, pooled.data());
    for (std::size_t k = 0; k < width; ++k) sum[k] += values[k];
  }
  for (std::size_t k = 0; k < width; ++k) EXPECT_FLOAT_EQ(pooled[k], sum[k]);
  // Every level holds the same total.
  for (std::size_t level = 1; level < pyramid.levels(); ++level) {
    double total = 0;
    const std::size_t end = level + 1 < pyramid.levels() ? pyramid.first_cell(level + 1) : pyramid.cells();
    for (std::size_t i = pyramid.first_cell(level) * width; i < end * width; ++i) total += pooled[i];
    double expected = 0;
    for (float v : sum) expected += v;
    EXPECT_NEAR(total, expected, 1e-3);
  }
}

TEST(SpatialPyramid, ParsesValidatesAndExplainsSizes) {
  EXPECT_EQ(parse_pyramid_levels("1:2:4"), (std::vector<int>{1, 2, 4}));
  EXPECT_THROW(parse_pyramid_levels("1:x"), std::invalid_argument);
  EXPECT_THROW(parse_pyramid_levels("1::2"), std::invalid_argument);
  EXPECT_THROW(SpatialPyramid(PyramidParams{{2, 1}, false}), std::invalid_argument);
  EXPECT_THROW(SpatialPyramid(PyramidParams{{}, false}), std::invalid_argument);
  const SpatialPyramid pyramid(PyramidParams{{1, 8}, true});
  EXPECT_NO_THROW(pyramid.check_size({8, 8}, "test"));
  try {
    pyramid.check_size({7, 20}, "test");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("needs at least 8x8"), std::string::npos) << e.what();
  }
  EXPECT_FLOAT_EQ(pyramid.level_weight(0), 0.5f);  // L = 1: 1/2, 1/2
  EXPECT_FLOAT_EQ(pyramid.level_weight(1), 0.5f);
}

}  // namespace
