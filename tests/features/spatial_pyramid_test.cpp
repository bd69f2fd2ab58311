// The pooling component on its own: cells tile the image, points and pixels agree on their cell, and the
// top level of pooled values is their sum.
#include "featpipe/features/spatial_pyramid.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <vector>

using featpipe::features::format_pyramid;
using featpipe::features::parse_int_list;
using featpipe::features::parse_pyramid;
using featpipe::features::PyramidLevel;
using featpipe::features::PyramidParams;
using featpipe::features::SpatialPyramid;

namespace {

TEST(SpatialPyramid, CellsTileTheImageAndAgreeWithCellAt) {
  const SpatialPyramid pyramid(PyramidParams{parse_pyramid("1:2:3:4:3x1:1x4:2x3"), false});
  EXPECT_EQ(pyramid.cells(), 1u + 4u + 9u + 16u + 3u + 4u + 6u);
  for (cv::Size size : {cv::Size(28, 28), cv::Size(31, 17), cv::Size(4, 5)}) {
    for (std::size_t level = 0; level < pyramid.levels(); ++level) {
      const PyramidLevel g = pyramid.params().levels[level];
      cv::Mat owner(size, CV_32S, cv::Scalar(-1));
      for (int cy = 0; cy < g.rows; ++cy) {
        for (int cx = 0; cx < g.cols; ++cx) {
          const cv::Rect r = pyramid.cell_rect(size, level, cx, cy);
          ASSERT_GT(r.area(), 0);
          for (int y = r.y; y < r.br().y; ++y) {
            for (int x = r.x; x < r.br().x; ++x) {
              EXPECT_EQ(owner.at<int>(y, x), -1) << "cells overlap";
              owner.at<int>(y, x) = static_cast<int>(pyramid.first_cell(level)) + cy * g.cols + cx;
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
  const SpatialPyramid pyramid(PyramidParams{parse_pyramid("1:2:4:3x1"), false});
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
  EXPECT_EQ(parse_pyramid("1:2:4"), (std::vector<PyramidLevel>{{1, 1}, {2, 2}, {4, 4}}));
  EXPECT_EQ(parse_pyramid("1:2:3x1"), (std::vector<PyramidLevel>{{1, 1}, {2, 2}, {3, 1}}));
  EXPECT_EQ(parse_int_list("4:6:8"), (std::vector<int>{4, 6, 8}));
  for (const char* spec : {"1:2", "1:2:4", "1:2:3x1", "1x3:3x1"})
    EXPECT_EQ(format_pyramid(parse_pyramid(spec)), spec);
  EXPECT_EQ(format_pyramid(parse_pyramid("1:2x2:1x3")), "1:2:1x3");  // square levels written as their side
  for (const char* bad : {"1:x", "1::2", "3x", "x1", "3x1x2", "2x-1", "a"}) {
    EXPECT_THROW(parse_pyramid(bad), std::invalid_argument) << bad;
  }
  EXPECT_THROW(parse_int_list("4:x"), std::invalid_argument);
  const auto invalid = [](const std::string& spec, bool lazebnik, const std::string& words) {
    try {
      SpatialPyramid(PyramidParams{parse_pyramid(spec), lazebnik});
      ADD_FAILURE() << spec << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << spec << ": " << e.what();
    }
  };
  invalid("2:1", false, "increase strictly");
  invalid("1:2:2x2", false, "appears twice");
  invalid("3x1:1:3x1", false, "appears twice");
  invalid("1:65x1", false, "1..64");
  invalid("1:0x2", false, "1..64");
  invalid("1:2:3x1", true, "square");
  EXPECT_THROW(SpatialPyramid(PyramidParams{{}, false}), std::invalid_argument);
  EXPECT_NO_THROW(SpatialPyramid(PyramidParams{parse_pyramid("1x3:1:3x1:2"), false}));
  const SpatialPyramid stripes(PyramidParams{parse_pyramid("1:3x1"), false});
  EXPECT_NO_THROW(stripes.check_size({1, 3}, "test"));
  EXPECT_THROW(stripes.check_size({5, 2}, "test"), std::invalid_argument);  // 3 rows need 3 pixel rows
  const SpatialPyramid pyramid(PyramidParams{parse_pyramid("1:8"), true});
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

// A 3x1 level cuts the image into three horizontal stripes: cell 0 the top rows, cell 2 the bottom ones,
// each stripe the full width.
TEST(SpatialPyramid, ThreeByOneLevelIsThreeHorizontalStripes) {
  const SpatialPyramid pyramid(PyramidParams{parse_pyramid("1:2:3x1"), false});
  const cv::Size size(40, 31);  // stripes of rows 0..9, 10..19, 20..30
  ASSERT_EQ(pyramid.first_cell(2), 5u);
  EXPECT_EQ(pyramid.cell_rect(size, 2, 0, 0), cv::Rect(0, 0, 40, 10));
  EXPECT_EQ(pyramid.cell_rect(size, 2, 0, 1), cv::Rect(0, 10, 40, 10));
  EXPECT_EQ(pyramid.cell_rect(size, 2, 0, 2), cv::Rect(0, 20, 40, 11));
  EXPECT_EQ(pyramid.cell_at(size, 2, 39.0f, 9.0f), 5u);
  EXPECT_EQ(pyramid.cell_at(size, 2, 0.0f, 10.0f), 6u);
  EXPECT_EQ(pyramid.cell_at(size, 2, 20.0f, 30.0f), 7u);
  EXPECT_EQ(pyramid.cell_at(size, 1, 20.0f, 30.0f), 4u);  // 2x2: bottom-right quarter
}

}  // namespace
