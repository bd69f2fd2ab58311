// Image dimensions read from file headers without decoding (PNG, JPEG, BMP, PGM/PPM), and the folder
// reader refusing an image whose header declares more pixels than featpipe decodes, before decoding it.
#include "../../data/src/image_header.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "featpipe/core/errors.h"
#include "featpipe/data/dataset.h"
#include "featpipe/data/image_file.h"
#include "test_fixtures.h"

namespace {

using featpipe::InputError;
using featpipe::data::image_header_dims;
using featpipe::data::Source;
using featpipe::testing::error_message;
using featpipe::testing::TempDir;
using featpipe::testing::write_bytes;

TEST(ImageHeader, ReadsTheDimensionsOfEveryFormatItKnows) {
  TempDir dir;
  const cv::Mat colour(37, 53, CV_8UC3, cv::Scalar(10, 200, 30)), grey(37, 53, CV_8UC1, cv::Scalar(99));
  for (const std::string name : {"a.png", "a.jpg", "a.bmp", "a.ppm", "g.pgm", "g.png", "g.jpg"}) {
    const std::string path = (dir / name).string();
    ASSERT_TRUE(cv::imwrite(path, name[0] == 'g' ? grey : colour)) << name;
    const auto dims = image_header_dims(path);
    ASSERT_TRUE(dims) << name;
    EXPECT_EQ(dims->width, 53u) << name;
    EXPECT_EQ(dims->height, 37u) << name;
  }
  write_bytes(dir / "notes.txt", {'h', 'e', 'l', 'l', 'o'});
  EXPECT_FALSE(image_header_dims((dir / "notes.txt").string()));
  EXPECT_FALSE(image_header_dims((dir / "missing.png").string()));
}

/// A PNG signature and IHDR declaring width x height, followed by nothing decodable.
std::vector<uint8_t> png_header(uint32_t width, uint32_t height) {
  std::vector<uint8_t> b = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  for (uint32_t v : {width, height}) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(uint8_t(v >> shift));
  }
  b.insert(b.end(), {8, 2, 0, 0, 0, 0, 0, 0, 0});
  return b;
}

TEST(ImageHeader, FolderReaderRefusesAnImageTooLargeToDecode) {
  TempDir dir;
  featpipe::testing::write_folder_dataset(dir.path());
  // a 36-byte file claiming 100000 x 100000 pixels (30 GB as BGR)
  write_bytes(dir / "train" / "circle" / "img_001.png", png_header(100000, 100000));
  const auto ds = featpipe::data::open_dataset("folder:" + dir.str());
  const std::string message = error_message<InputError>([&] { ds->image(Source::train, 1); });
  EXPECT_NE(message.find("img_001.png"), std::string::npos) << message;
  EXPECT_NE(message.find("declares 100000x100000 pixels, more than the 128 Mi pixels"), std::string::npos)
      << message;
  EXPECT_NO_THROW(ds->image(Source::train, 0));

  // at the limit the header is accepted and the (truncated) file is reported as undecodable
  write_bytes(dir / "train" / "circle" / "img_001.png", png_header(1 << 14, 1 << 13));
  const std::string truncated = error_message<InputError>([&] { ds->image(Source::train, 1); });
  EXPECT_NE(truncated.find("cannot be decoded"), std::string::npos) << truncated;
}

// Found by fuzz/fuzz_folder_image: a PPM header whose numbers end in other bytes than white space. OpenCV
// reads it as 430 x 885380 pixels of 16 bits and allocated 2.3 GB for the 36-byte file; the header reader
// must see the same size, so that the folder reader refuses it before decoding.
TEST(ImageHeader, PnmNumbersEndedByAnyByte) {
  TempDir dir;
  const std::vector<uint8_t> ppm = {'P', '6', '\n', '0', '0',  '0',  '4',  '3',  '0',  '}', '8', '8',
                                    '5', '3', '8',  '0', 0xf1, '4',  '1',  '4',  '0',  ':', '/', '/',
                                    '4', '6', '6',  '6', 0x05, 0xf1, 0xff, 0xff, 0xff, 'R', 'A', 'I'};
  for (const char* set : {"train", "test"}) write_bytes(dir / set / "a" / "image", ppm);
  const auto dims = image_header_dims((dir / "train" / "a" / "image").string());
  ASSERT_TRUE(dims);
  EXPECT_EQ(dims->width, 430u);
  EXPECT_EQ(dims->height, 885380u);
  const std::string message =
      error_message<InputError>([&] { featpipe::data::open_dataset("folder:" + dir.str()); });
  EXPECT_NE(message.find("image: declares 430x885380 pixels, more than the 128 Mi pixels"), std::string::npos)
      << message;
}

}  // namespace

namespace {

// predict and match read images through data::read_image: the same header check as the folder reader
// (predict decoded a 415 KB 20000 x 20000 PNG into 1.2 GiB).
TEST(ImageHeader, EveryImageReaderRefusesAnImageTooLargeToDecode) {
  TempDir dir;
  const std::string path = (dir / "huge.png").string();
  write_bytes(path, png_header(20000, 20000));
  for (int flags : {cv::IMREAD_COLOR, cv::IMREAD_GRAYSCALE, cv::IMREAD_UNCHANGED}) {
    const std::string message = error_message<InputError>([&] { featpipe::data::read_image(path, flags); });
    EXPECT_NE(message.find("huge.png: declares 20000x20000 pixels, more than the 128 Mi pixels"),
              std::string::npos)
        << message;
  }
}

}  // namespace
