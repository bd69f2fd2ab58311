// Every extractor through the same contract (STYLE.md): width == dim(), deterministic, clear errors on
// empty / wrong-type / too-small images.
#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/core.hpp>

#include "featpipe/features/extractor.h"

using featpipe::features::make_extractor;

namespace {

cv::Mat test_image(cv::Size size, int channels, uint64_t seed) {
  cv::Mat m(size, CV_8UC(channels));
  cv::RNG rng(seed);
  rng.fill(m, cv::RNG::UNIFORM, 0, 256);
  return m;
}

class ExtractorContract : public ::testing::TestWithParam<std::string> {};

TEST_P(ExtractorContract, WidthEqualsDimAndIsDeterministic) {
  const auto ex = make_extractor(GetParam());
  for (int channels : {1, 3}) {
    const cv::Mat image = test_image({32, 32}, channels, 7);
    const std::size_t d = ex->dim(image.size(), image.channels());
    ASSERT_GT(d, 0u);
    std::vector<float> a(d + 1, -12345.f), b(d + 1, 54321.f);
    ex->extract(image, a.data());
    ex->extract(image, b.data());
    EXPECT_EQ(a[d], -12345.f) << "wrote past dim()";
    // The same bits wherever the output lies (vectorised sums must not depend on its alignment).
    std::vector<float> c(d + 1);
    ex->extract(image, c.data() + 1);
    a.resize(d);
    b.resize(d);
    EXPECT_EQ(a, b);
    EXPECT_TRUE(std::equal(a.begin(), a.end(), c.begin() + 1));
  }
}

TEST_P(ExtractorContract, SpecRoundTrips) {
  const auto ex = make_extractor(GetParam());
  EXPECT_EQ(make_extractor(ex->spec())->spec(), ex->spec());
}

TEST_P(ExtractorContract, RejectsEmptyAndWrongTypeImages) {
  const auto ex = make_extractor(GetParam());
  std::vector<float> out(1 << 16);
  EXPECT_THROW(ex->extract(cv::Mat(), out.data()), std::invalid_argument);
  EXPECT_THROW(ex->extract(cv::Mat(32, 32, CV_32FC1, cv::Scalar(0)), out.data()), std::invalid_argument);
  EXPECT_THROW(ex->extract(cv::Mat(32, 32, CV_8UC4, cv::Scalar(0)), out.data()), std::invalid_argument);
}

TEST_P(ExtractorContract, TooSmallImagesGiveAClearErrorOrAFullVector) {
  const auto ex = make_extractor(GetParam());
  for (cv::Size size : {cv::Size(1, 1), cv::Size(2, 3), cv::Size(5, 4), cv::Size(9, 9)}) {
    const cv::Mat image = test_image(size, 3, 11);
    std::size_t d = 0;
    try {
      d = ex->dim(size, 3);
    } catch (const std::invalid_argument& e) {
      // The message says what would work, and extract() refuses the same way instead of aborting.
      EXPECT_NE(std::string(e.what()).find("needs at least"), std::string::npos) << e.what();
      std::vector<float> out(1 << 16);
      EXPECT_THROW(ex->extract(image, out.data()), std::invalid_argument);
      continue;
    }
    std::vector<float> out(d + 1, -12345.f);
    ex->extract(image, out.data());
    EXPECT_EQ(out[d], -12345.f) << "wrote past dim() at " << size;
  }
}

/// Every registered extractor from its bare name (all defaults): a new entry is covered without editing this.
INSTANTIATE_TEST_SUITE_P(EveryRegisteredExtractor, ExtractorContract,
                         ::testing::ValuesIn(featpipe::features::extractor_registry().names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

/// Parameters that change the code path (other sizes, variants, pyramids) and joined terms.
INSTANTIATE_TEST_SUITE_P(Variants, ExtractorContract,
                         ::testing::Values("raw(gray=1)", "raw(size=16x8)", "raw(gray=1,size=20x20)+raw",
                                           "huehist(bins=8,weight=sat,pyramid=1:2:4,lazebnik=1)",
                                           "colorhist(space=hsv,bins=4,joint=1,pyramid=1:3)",
                                           "hog(cell=4,bins=9,variant=uoctti)",
                                           "hog(variant=dalaltriggs,cell=4)",
                                           "hog(variant=dalaltriggs,sigma=0,bins=6)", "lbp(cell=5)",
                                           "hog(cell=4)+huehist(pyramid=1:2)+lbp"));

}  // namespace

TEST(RawExtractor, ScalesPixelsInRowMajorOrder) {
  cv::Mat image(2, 3, CV_8UC1);
  for (int i = 0; i < 6; ++i) image.data[i] = static_cast<uint8_t>(i * 51);
  const auto ex = make_extractor("raw");
  ASSERT_EQ(ex->dim(image.size(), 1), 6u);
  std::vector<float> out(6);
  ex->extract(image, out.data());
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(out[i], i * 51 / 255.0f);
}

TEST(RawExtractor, GrayAndSizeChangeTheWidth) {
  EXPECT_EQ(make_extractor("raw(gray=1)")->dim({32, 32}, 3), 1024u);
  EXPECT_EQ(make_extractor("raw(size=16x8)")->dim({32, 32}, 3), 16u * 8u * 3u);
  EXPECT_EQ(make_extractor("raw+raw(gray=1)")->dim({10, 10}, 3), 400u);
}

TEST(RawExtractor, BadSpecsNameTheProblem) {
  EXPECT_THROW(make_extractor("raw(size=16)"), std::invalid_argument);
  EXPECT_THROW(make_extractor("raw(colour=1)"), std::invalid_argument);
  EXPECT_THROW(make_extractor("nosuch"), std::invalid_argument);
}
