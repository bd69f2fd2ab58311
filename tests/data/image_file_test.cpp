// Image files through OpenCV's codecs loaded on first use (featpipe/data/image_file.h), against
// cv::imread / cv::imwrite linked as usual: the same pixels for PNG and JPEG, grey and colour, under every
// read flag, the same files written, and the same clear errors.
#include "featpipe/data/image_file.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

#include "cli_runner.h"
#include "featpipe/core/errors.h"
#include "test_fixtures.h"

namespace {

using featpipe::InputError;
using featpipe::data::has_image_reader;
using featpipe::data::read_image;
using featpipe::data::write_image;
using featpipe::testing::contains;
using featpipe::testing::error_message;
using featpipe::testing::slurp;
using featpipe::testing::TempDir;
using featpipe::testing::write_bytes;

/// Gradients and a disc at an odd size: enough structure that a decoder mistake (channel order, stride,
/// JPEG's chroma) changes pixels.
cv::Mat test_image(int channels) {
  cv::Mat image(37, 53, channels == 1 ? CV_8UC1 : CV_8UC3);
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      const cv::Vec3b bgr(uchar(x * 4), uchar(y * 6), uchar((x + y) * 3 + 17));
      if (channels == 1) {
        image.at<uchar>(y, x) = uchar(x * 3 + y * 2);
      } else {
        image.at<cv::Vec3b>(y, x) = bgr;
      }
    }
  }
  cv::circle(image, {26, 18}, 9, cv::Scalar(250, 20, 120), -1);
  return image;
}

void expect_identical(const cv::Mat& got, const cv::Mat& want, const std::string& what) {
  ASSERT_FALSE(want.empty()) << what;
  ASSERT_EQ(got.type(), want.type()) << what;
  ASSERT_EQ(got.size(), want.size()) << what;
  EXPECT_EQ(cv::norm(got, want, cv::NORM_INF), 0.0) << what;
}

TEST(ImageFile, ReadsWhatImreadReadsForPngAndJpegGreyAndColour) {
  TempDir dir;
  for (const char* format : {"png", "jpg"}) {
    for (int channels : {1, 3}) {
      const std::string path = (dir / ("image" + std::to_string(channels) + "." + format)).string();
      ASSERT_TRUE(cv::imwrite(path, test_image(channels))) << path;
      for (int flags : {cv::IMREAD_UNCHANGED, cv::IMREAD_GRAYSCALE, cv::IMREAD_COLOR}) {
        expect_identical(read_image(path, flags), cv::imread(path, flags),
                         path + " flags " + std::to_string(flags));
      }
    }
  }
}

TEST(ImageFile, WritesWhatImwriteWrites) {
  TempDir dir;
  for (const char* format : {"png", "jpg"}) {
    for (int channels : {1, 3}) {
      const std::string name = "image" + std::to_string(channels) + "." + format;
      const std::string ours = (dir / ("ours_" + name)).string(),
                        theirs = (dir / ("theirs_" + name)).string();
      write_image(ours, test_image(channels));
      ASSERT_TRUE(cv::imwrite(theirs, test_image(channels)));
      EXPECT_EQ(slurp(ours), slurp(theirs)) << name;
    }
  }
  // PNG is lossless: the pixels come back.
  write_image((dir / "round.png").string(), test_image(3));
  expect_identical(read_image((dir / "round.png").string(), cv::IMREAD_UNCHANGED), test_image(3),
                   "round.png");
}

TEST(ImageFile, UndecodableFilesReadEmptyAsWithImread) {
  TempDir dir;
  // A PNG signature, then garbage; a text file; no file at all.
  std::vector<uint8_t> corrupt(200, 0x42);
  const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::copy(signature, signature + 8, corrupt.begin());
  write_bytes(dir / "corrupt.png", corrupt);
  write_bytes(dir / "notes.png", {'h', 'e', 'l', 'l', 'o'});
  for (const char* name : {"corrupt.png", "notes.png", "missing.png"}) {
    const std::string path = (dir / name).string();
    EXPECT_TRUE(read_image(path, cv::IMREAD_COLOR).empty()) << name;
    EXPECT_TRUE(cv::imread(path, cv::IMREAD_COLOR).empty()) << name;
  }
  EXPECT_TRUE(has_image_reader((dir / "corrupt.png").string()));
  EXPECT_FALSE(has_image_reader((dir / "notes.png").string()));
  EXPECT_FALSE(has_image_reader((dir / "missing.png").string()));
}

// OpenCV throws for a header over its own limits (here a PBM wider than 2^20 pixels): an InputError naming
// the file, not a cv::Exception escaping to the caller.
TEST(ImageFile, OpenCvErrorsAreInputErrorsNamingTheFile) {
  TempDir dir;
  const std::string path = (dir / "wide.pbm").string();
  const std::string header = "P4\n2000000 1\n";
  write_bytes(path, std::vector<uint8_t>(header.begin(), header.end()));
  const std::string message = error_message<InputError>([&] { read_image(path, cv::IMREAD_GRAYSCALE); });
  EXPECT_TRUE(contains(message, path + ": cannot be decoded as an image (OpenCV: ")) << message;
}

TEST(ImageFile, UnwritableFilesAreInputErrorsNamingThem) {
  TempDir dir;
  for (const std::string name : {"no/such/folder/out.png", "out.unknown-format"}) {
    const std::string path = (dir / name).string();
    const std::string message = error_message<InputError>([&] { write_image(path, test_image(3)); });
    EXPECT_TRUE(contains(message, path + ": cannot be written")) << message;
  }
}

TEST(ImageFile, TellsTheExtensionsItWritesWithoutTouchingTheFile) {
  TempDir dir;
  for (const char* name : {"m.png", "m.JPG", "m.bmp"}) {
    EXPECT_TRUE(featpipe::data::has_image_writer((dir / name).string())) << name;
  }
  for (const char* name : {"m.txt", "m", "m.unknown-format"}) {
    EXPECT_FALSE(featpipe::data::has_image_writer((dir / name).string())) << name;
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ImageFile, NamesTheCodecLibraryItLoads) {
  EXPECT_EQ(std::string(featpipe::data::image_codecs_library()).rfind("libopencv_imgcodecs.so", 0), 0u)
      << featpipe::data::image_codecs_library();
}

}  // namespace
