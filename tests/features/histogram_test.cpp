// Hue and colour histograms: solid colours land in the right bins, grey carries no hue, and pooling with a
// spatial pyramid keeps the global histogram as its level-1 block.
#include <gtest/gtest.h>

#include <numeric>
#include <opencv2/core.hpp>
#include <vector>

#include "featpipe/features/extractor.h"
#include "features/test_images.h"

using featpipe::features::make_extractor;

namespace {

std::vector<float> extract(const std::string& spec, const cv::Mat& image) {
  const auto ex = make_extractor(spec);
  std::vector<float> out(ex->dim(image.size(), image.channels()));
  ex->extract(image, out.data());
  return out;
}

cv::Mat solid(int b, int g, int r) { return cv::Mat(16, 16, CV_8UC3, cv::Scalar(b, g, r)); }

TEST(HueHist, SolidColoursLandInTheirBins) {
  // 12 bins centred on multiples of 30 degrees: red 0, yellow 2, green 4, cyan 6, blue 8, magenta 10.
  struct Case {
    cv::Mat image;
    int bin;
  };
  for (const Case& c : {Case{solid(0, 0, 255), 0}, Case{solid(0, 255, 255), 2}, Case{solid(0, 255, 0), 4},
                        Case{solid(255, 255, 0), 6}, Case{solid(255, 0, 0), 8}, Case{solid(255, 0, 255), 10},
                        Case{solid(40, 40, 120), 0}}) {
    const std::vector<float> h = extract("huehist", c.image);
    ASSERT_EQ(h.size(), 12u);
    for (int k = 0; k < 12; ++k) EXPECT_FLOAT_EQ(h[k], k == c.bin ? 1.0f : 0.0f) << "bin " << k;
  }
}

TEST(HueHist, HueBetweenTwoBinCentresIsSplitBetweenThem) {
  // Orange (BGR 0, 128, 255) has hue 30.1 degrees: almost all in bin 1 of 12, a little in bin 2.
  const std::vector<float> h = extract("huehist", solid(0, 128, 255));
  EXPECT_NEAR(h[1] + h[2], 1.0f, 1e-6);
  EXPECT_GT(h[1], 0.99f);
}

TEST(HueHist, GreyImagesCarryNoHue) {
  for (const cv::Mat& image : {solid(0, 0, 0), solid(128, 128, 128), solid(255, 255, 255),
                               solid(120, 125, 122), cv::Mat(16, 16, CV_8UC1, cv::Scalar(200))}) {
    for (const std::string spec : {"huehist", "huehist(pyramid=1:2,weight=sat)"}) {
      const std::vector<float> h = extract(spec, image);
      EXPECT_EQ(std::accumulate(h.begin(), h.end(), 0.0f), 0.0f) << spec;
    }
  }
  // Dark pixels are skipped too: hue from three grey levels is noise.
  const std::vector<float> dark = extract("huehist", solid(0, 0, 20));
  EXPECT_EQ(std::accumulate(dark.begin(), dark.end(), 0.0f), 0.0f);
}

TEST(HueHist, WeightBySaturationDownWeightsPaleColours) {
  const cv::Mat pale = solid(128, 128, 255);  // red at saturation 0.5
  EXPECT_FLOAT_EQ(extract("huehist", pale)[0], 1.0f);
  EXPECT_NEAR(extract("huehist(weight=sat)", pale)[0], 127.0f / 255.0f, 1e-6);
}

TEST(HueHist, PyramidCellsSeeTheirOwnPart) {
  cv::Mat image = solid(255, 0, 0);                           // blue ...
  image(cv::Rect(0, 0, 8, 16)).setTo(cv::Scalar(0, 0, 255));  // ... with a red left half
  const std::vector<float> h = extract("huehist(pyramid=1:2)", image);
  ASSERT_EQ(h.size(), 5u * 12u);
  EXPECT_FLOAT_EQ(h[0], 0.5f);  // level 1: half red, half blue
  EXPECT_FLOAT_EQ(h[8], 0.5f);
  EXPECT_FLOAT_EQ(h[12 + 0], 1.0f);      // top-left cell: red
  EXPECT_FLOAT_EQ(h[2 * 12 + 8], 1.0f);  // top-right cell: blue
  EXPECT_FLOAT_EQ(h[3 * 12 + 0], 1.0f);  // bottom-left: red
  EXPECT_FLOAT_EQ(h[4 * 12 + 8], 1.0f);  // bottom-right: blue
}

TEST(ColorHist, ChannelsAndJointBins) {
  const cv::Mat image = solid(0, 128, 255);  // R 255, G 128, B 0
  const std::vector<float> rgb = extract("colorhist(bins=4)", image);
  ASSERT_EQ(rgb.size(), 12u);
  EXPECT_FLOAT_EQ(rgb[3], 1.0f);      // R in the top bin
  EXPECT_FLOAT_EQ(rgb[4 + 2], 1.0f);  // G 128 in bin 2
  EXPECT_FLOAT_EQ(rgb[8 + 0], 1.0f);  // B in bin 0
  EXPECT_FLOAT_EQ(std::accumulate(rgb.begin(), rgb.end(), 0.0f), 3.0f);
  const std::vector<float> joint = extract("colorhist(bins=4,joint=1)", image);
  ASSERT_EQ(joint.size(), 64u);
  EXPECT_FLOAT_EQ(joint[(3 * 4 + 2) * 4 + 0], 1.0f);
  const std::vector<float> hsv = extract("colorhist(space=hsv,bins=6)", image);
  EXPECT_FLOAT_EQ(hsv[0], 1.0f);       // hue 30 degrees: bin 0 of 60-degree bins
  EXPECT_FLOAT_EQ(hsv[6 + 5], 1.0f);   // saturated
  EXPECT_FLOAT_EQ(hsv[12 + 5], 1.0f);  // bright
  const std::vector<float> grey = extract("colorhist(bins=4)", cv::Mat(8, 8, CV_8UC1, cv::Scalar(100)));
  EXPECT_FLOAT_EQ(grey[1] + grey[5] + grey[9], 3.0f);  // grey counts as R = G = B
}

// Level 1x1 of a pyramid is the global histogram, for any image and any finer levels.
TEST(SpatialPyramidPooling, LevelOneEqualsTheGlobalHistogram) {
  const auto grey = featpipe::test::fashion_mnist_images(9);
  const auto colour = featpipe::test::colour_composites(grey, 3);
  for (const auto& [global, pyramid] :
       {std::pair<std::string, std::string>{"huehist(bins=9)", "huehist(bins=9,pyramid=1:2:4)"},
        {"huehist(weight=sat)", "huehist(weight=sat,pyramid=1:3:5)"},
        {"colorhist(bins=5)", "colorhist(bins=5,pyramid=1:2:4)"},
        {"colorhist(space=hsv,joint=1,bins=3)", "colorhist(space=hsv,joint=1,bins=3,pyramid=1:2)"}}) {
    for (const cv::Mat& image : colour) {
      const std::vector<float> g = extract(global, image), p = extract(pyramid, image);
      ASSERT_GT(p.size(), g.size());
      for (std::size_t i = 0; i < g.size(); ++i) EXPECT_FLOAT_EQ(p[i], g[i]) << pyramid << " element " << i;
    }
  }
}

TEST(SpatialPyramidPooling, LazebnikWeightsScaleEachLevel) {
  const cv::Mat image = featpipe::test::colour_composites(featpipe::test::fashion_mnist_images(3), 1)[0];
  const std::vector<float> plain = extract("colorhist(pyramid=1:2:4)", image);
  const std::vector<float> weighted = extract("colorhist(pyramid=1:2:4,lazebnik=1)", image);
  // Levels l = 0, 1, 2 of L = 2 weigh 1/4, 1/4, 1/2; 24 values per cell.
  for (std::size_t i = 0; i < plain.size(); ++i) {
    const std::size_t cell = i / 24;
    const float w = cell == 0 ? 0.25f : cell < 5 ? 0.25f : 0.5f;
    EXPECT_FLOAT_EQ(weighted[i], w * plain[i]);
  }
}

}  // namespace
