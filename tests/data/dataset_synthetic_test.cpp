// synthetic:shapes: determinism, parameters, and that both colour and orientation carry class signal.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <numeric>
#include <opencv2/imgproc.hpp>
#include <set>

#include "featpipe/core/errors.h"
#include "featpipe/data/dataset.h"
#include "test_fixtures.h"

using featpipe::InputError;
using featpipe::data::Dataset;
using featpipe::data::open_dataset;
using featpipe::data::OpenOptions;
using featpipe::data::Source;

namespace {

std::string input_error(const std::function<void()>& fn) {
  return featpipe::testing::error_message<InputError>(fn);
}

std::unique_ptr<Dataset> shapes(const std::string& spec, uint64_t seed) {
  OpenOptions options;
  options.seed = seed;
  return open_dataset(spec, options);
}

bool same_pixels(const Dataset& a, const Dataset& b, Source s) {
  if (a.size(s) != b.size(s)) return false;
  for (std::size_t i = 0; i < a.size(s); ++i) {
    if (cv::norm(a.image(s, i), b.image(s, i), cv::NORM_INF) != 0 || a.label(s, i) != b.label(s, i))
      return false;
  }
  return true;
}

/// Distance between two angles on a circle of the given period.
double angular_distance(double a, double b, double period) {
  const double d = std::fmod(std::abs(a - b), period);
  return std::min(d, period - d);
}

/// Per class, the circular mean hue (degrees, 0..360) of the strongly saturated pixels.
std::vector<double> mean_hue_per_class(const Dataset& ds, int k) {
  std::vector<double> c(k), s(k);
  for (std::size_t i = 0; i < ds.size(Source::train); ++i) {
    cv::Mat hsv;
    cv::cvtColor(ds.image(Source::train, i), hsv, cv::COLOR_BGR2HSV);
    const int label = ds.label(Source::train, i);
    for (auto it = hsv.begin<cv::Vec3b>(); it != hsv.end<cv::Vec3b>(); ++it) {
      if ((*it)[1] < 120 || (*it)[2] < 60) continue;
      const double a = (*it)[0] * 2.0 * std::numbers::pi / 180.0;
      c[label] += std::cos(a);
      s[label] += std::sin(a);
    }
  }
  std::vector<double> hue(k);
  for (int l = 0; l < k; ++l)
    hue[l] = std::fmod(std::atan2(s[l], c[l]) * 180.0 / std::numbers::pi + 360.0, 360.0);
  return hue;
}

/// Per class, the mean dominant edge orientation (degrees, 0..180) from each image's structure tensor.
std::vector<double> mean_edge_orientation_per_class(const Dataset& ds, int k) {
  std::vector<double> c(k), s(k);
  for (std::size_t i = 0; i < ds.size(Source::train); ++i) {
    cv::Mat grey, gx, gy;
    cv::cvtColor(ds.image(Source::train, i), grey, cv::COLOR_BGR2GRAY);
    cv::Sobel(grey, gx, CV_64F, 1, 0);
    cv::Sobel(grey, gy, CV_64F, 0, 1);
    const double jxx = gx.dot(gx), jyy = gy.dot(gy), jxy = gx.dot(gy);
    // Doubled angle of the dominant gradient; edges run perpendicular to it (+180 degrees doubled).
    const double doubled = std::atan2(2 * jxy, jxx - jyy) + std::numbers::pi;
    const double strength = std::hypot(jxx - jyy, 2 * jxy) / (jxx + jyy);
    const int label = ds.label(Source::train, i);
    c[label] += strength * std::cos(doubled);
    s[label] += strength * std::sin(doubled);
  }
  std::vector<double> orientation(k);
  for (int l = 0; l < k; ++l) {
    orientation[l] = std::fmod(std::atan2(s[l], c[l]) * 90.0 / std::numbers::pi + 180.0, 180.0);
  }
  return orientation;
}

}  // namespace

TEST(SyntheticShapes, Defaults) {
  const auto ds = shapes("synthetic:shapes", 0);
  EXPECT_EQ(ds->spec(), "synthetic:shapes");
  EXPECT_EQ(ds->size(Source::train), 1000u);
  EXPECT_EQ(ds->size(Source::test), 200u);
  EXPECT_EQ(ds->uniform_size(), cv::Size(32, 32));
  EXPECT_EQ(ds->channels(), 3);
  EXPECT_EQ(ds->image(Source::test, 199).type(), CV_8UC3);
  const auto& names = ds->class_names();
  ASSERT_EQ(names.size(), 10u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 10u) << "class names must be unique";
}

TEST(SyntheticShapes, ParametersAndAllClassesPresent) {
  const auto ds = shapes("synthetic:shapes(classes=6,size=24,train=120,test=60)", 0);
  ASSERT_EQ(ds->class_names().size(), 6u);
  EXPECT_EQ(ds->uniform_size(), cv::Size(24, 24));
  for (Source s : {Source::train, Source::test}) {
    std::vector<int> counts(6);
    for (int32_t l : ds->labels(s)) ++counts.at(l);
    const int expected = s == Source::train ? 20 : 10;
    EXPECT_EQ(counts, std::vector<int>(6, expected));
  }
}

TEST(SyntheticShapes, DeterministicForASeed) {
  const std::string spec = "synthetic:shapes(train=200,test=50)";
  const auto a = shapes(spec, 7), b = shapes(spec, 7), c = shapes(spec, 8);
  EXPECT_TRUE(same_pixels(*a, *b, Source::train));
  EXPECT_TRUE(same_pixels(*a, *b, Source::test));
  EXPECT_FALSE(same_pixels(*a, *c, Source::train));
  EXPECT_FALSE(same_pixels(*a, *c, Source::test));
  // The test set is not a copy of the training set.
  EXPECT_NE(cv::norm(a->image(Source::train, 0), a->image(Source::test, 0), cv::NORM_INF), 0);
}

TEST(SyntheticShapes, IndependentOfTheThreadCount) {
  const std::string spec = "synthetic:shapes(train=100,test=20)";
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = shapes(spec, 3);
  omp_set_num_threads(std::max(2, threads));
  const auto many = shapes(spec, 3);
  omp_set_num_threads(threads);
  EXPECT_TRUE(same_pixels(*one, *many, Source::train));
}

TEST(SyntheticShapes, ImagesWithinAClassVary) {
  const auto ds = shapes("synthetic:shapes", 0);
  EXPECT_GT(cv::norm(ds->image(Source::train, 0), ds->image(Source::train, 10), cv::NORM_L1) / (32 * 32 * 3),
            10);
}

TEST(SyntheticShapes, HueCarriesClassSignal) {
  const int k = 10;
  const auto ds = shapes("synthetic:shapes", 0);
  const std::vector<double> hue = mean_hue_per_class(*ds, k);
  for (int c = 0; c < k; ++c) {
    EXPECT_LT(angular_distance(hue[c], 360.0 * c / k, 360.0), 0.3 * 360.0 / k)
        << "class " << c << " " << hue[c];
  }
}

TEST(SyntheticShapes, OrientationCarriesClassSignal) {
  const int k = 6;
  const auto ds = shapes("synthetic:shapes(classes=6,train=600,test=6)", 0);
  const std::vector<double> orientation = mean_edge_orientation_per_class(*ds, k);
  std::set<long> distinct;
  for (int c = 0; c < k; ++c) {
    // The class's orientation slot is encoded in its name, e.g. "yellow-120".
    const std::string& name = ds->class_names()[c];
    const double expected = std::stod(name.substr(name.find('-') + 1));
    EXPECT_LT(angular_distance(orientation[c], expected, 180.0), 0.3 * 180.0 / k)
        << name << ": measured " << orientation[c];
    distinct.insert(std::lround(expected));
  }
  EXPECT_EQ(distinct.size(), std::size_t(k));
}

TEST(SyntheticShapesErrors, UnknownGenerator) {
  const std::string msg = input_error([] { open_dataset("synthetic:blobs"); });
  EXPECT_NE(msg.find("synthetic:blobs: unknown synthetic generator 'blobs'; known: shapes"),
            std::string::npos)
      << msg;
}

TEST(SyntheticShapesErrors, UnknownParameter) {
  const std::string msg = input_error([] { open_dataset("synthetic:shapes(colours=3)"); });
  EXPECT_NE(msg.find("synthetic:shapes(colours=3): "), std::string::npos) << msg;
  EXPECT_NE(msg.find("colours"), std::string::npos) << msg;
}

TEST(SyntheticShapesErrors, OutOfRangeAndMalformed) {
  std::string msg = input_error([] { open_dataset("synthetic:shapes(classes=1)"); });
  EXPECT_NE(msg.find("classes=1 is out of range; use 2..60"), std::string::npos) << msg;
  msg = input_error([] { open_dataset("synthetic:shapes(size=big)"); });
  EXPECT_NE(msg.find("size=big is not an integer"), std::string::npos) << msg;
  msg = input_error([] { open_dataset("synthetic:shapes(size=32"); });
  EXPECT_NE(msg.find("synthetic:shapes(size=32: "), std::string::npos) << msg;
}

TEST(SyntheticShapesErrors, SetsTooLargeForMemory) {
  // Every parameter within its own range, but 10^7 images of 1024 x 1024 would need 30 TiB.
  const std::string spec = "synthetic:shapes(size=1024,train=10000000)";
  const std::string msg = input_error([&] { open_dataset(spec); });
  EXPECT_NE(msg.find(spec + ": the images would take "), std::string::npos) << msg;
  EXPECT_NE(msg.find("GiB of memory, more than 4 GiB; use fewer or smaller images"), std::string::npos)
      << msg;
}

TEST(SyntheticShapesErrors, ValidateReportsWhatOpenWould) {
  using featpipe::data::validate_dataset_spec;
  for (const char* spec : {"synthetic:blobs", "synthetic:shapes(classes=1)", "synthetic:shapes(size=32",
                           "synthetic:shapes(size=1024,train=10000000)", "synthetic:", "imagenet:/data"}) {
    const std::string expected = input_error([&] { open_dataset(spec); });
    EXPECT_EQ(input_error([&] { validate_dataset_spec(spec); }), expected) << spec;
  }
  EXPECT_NO_THROW(validate_dataset_spec("synthetic:shapes(classes=6,size=32,train=600,test=200)"));
  EXPECT_NO_THROW(validate_dataset_spec("folder:/no/such/folder"));  // paths are open_dataset's to check
}

namespace {

// An in-memory set was resized whole at open, before --subset picked 4 images of it (--resize 1000x1000
// took 857 MiB). Images are now resized when asked for: the same pixels, and the open holds only the set
// at its own size.
TEST(SyntheticShapes, ResizeHappensPerImageNotForTheWholeSetAtOpen) {
  OpenOptions options;
  options.resize = cv::Size(1000, 1000);
  const long before = featpipe::testing::peak_rss_bytes();
  const auto resized = open_dataset("synthetic:shapes(classes=4,size=16,train=200,test=80)", options);
  const auto plain = open_dataset("synthetic:shapes(classes=4,size=16,train=200,test=80)");
  for (std::size_t i : {0u, 57u, 199u}) {
    const cv::Mat got = resized->image(Source::train, i);
    ASSERT_EQ(got.size(), cv::Size(1000, 1000));
    cv::Mat expected;
    cv::resize(plain->image(Source::train, i), expected, cv::Size(1000, 1000), 0, 0, cv::INTER_AREA);
    EXPECT_EQ(cv::norm(got, expected, cv::NORM_INF), 0) << i;
  }
  EXPECT_EQ(resized->uniform_size(), cv::Size(1000, 1000));
  // 280 images of 1000 x 1000 x 3 would be 840 MB; three at a time are 9 MB
  EXPECT_LT(featpipe::testing::peak_rss_bytes() - before, 200L << 20);
}

TEST(SyntheticShapes, ResizeAboveTheImagePixelLimitIsRefused) {
  OpenOptions options;
  options.resize = cv::Size(100000, 100000);
  const std::string message =
      input_error([&] { open_dataset("synthetic:shapes(classes=2,size=16,train=4,test=2)", options); });
  EXPECT_NE(message.find("--resize: 100000x100000 is more than the 128 Mi pixels an image may have"),
            std::string::npos)
      << message;
}

}  // namespace
