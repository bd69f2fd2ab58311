// Image-folder reader: listing at open, decoding on demand, --resize, and the bad inputs it must name.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "featpipe/core/errors.h"
#include "featpipe/data/dataset.h"
#include "test_fixtures.h"

using featpipe::InputError;
using featpipe::data::open_dataset;
using featpipe::data::Source;
using featpipe::testing::FolderFixture;
using featpipe::testing::TempDir;
using featpipe::testing::write_folder_dataset;

namespace {

std::string input_error(const std::function<void()>& fn) {
  return featpipe::testing::error_message<InputError>(fn);
}

FolderFixture unsorted_classes() {
  FolderFixture f;
  f.classes = {"zebra", "ant", "moth"};  // the dataset's labels follow sorted names: ant, moth, zebra
  return f;
}

}  // namespace

TEST(FolderDataset, ListsSortedClassesAndDecodesOnDemand) {
  TempDir dir;
  const FolderFixture f = unsorted_classes();
  write_folder_dataset(dir.path(), f);
  const auto ds = open_dataset("folder:" + dir.str());
  EXPECT_EQ(ds->class_names(), (std::vector<std::string>{"ant", "moth", "zebra"}));
  ASSERT_EQ(ds->size(Source::train), 12u);
  ASSERT_EQ(ds->size(Source::test), 6u);
  EXPECT_EQ(ds->channels(), 3);
  EXPECT_FALSE(ds->uniform_size().has_value());
  const std::vector<int> written_index = {1, 2, 0};  // position in f.classes of ant, moth, zebra
  for (bool test : {false, true}) {
    const Source s = test ? Source::test : Source::train;
    const int per_class = test ? f.test_per_class : f.train_per_class;
    for (int row = 0; row < int(ds->size(s)); ++row) {
      const int label = row / per_class;
      ASSERT_EQ(ds->label(s, row), label);
      const cv::Mat expected =
          featpipe::testing::folder_fixture_image(f, test, written_index[label], row % per_class);
      const cv::Mat got = ds->image(s, row);
      ASSERT_EQ(got.size(), expected.size()) << row;
      EXPECT_EQ(cv::norm(got, expected, cv::NORM_INF), 0) << row;
    }
  }
  std::set<std::pair<int, int>> sizes;
  for (std::size_t i = 0; i < ds->size(Source::train); ++i) {
    const cv::Mat m = ds->image(Source::train, i);
    sizes.insert({m.cols, m.rows});
  }
  EXPECT_GT(sizes.size(), 1u);
}

TEST(FolderDataset, ResizeMakesImagesUniform) {
  TempDir dir;
  write_folder_dataset(dir.path());
  featpipe::data::OpenOptions options;
  options.resize = cv::Size(16, 12);
  const auto ds = open_dataset("folder:" + dir.str(), options);
  EXPECT_EQ(ds->uniform_size(), cv::Size(16, 12));
  for (std::size_t i = 0; i < ds->size(Source::train); ++i)
    EXPECT_EQ(ds->image(Source::train, i).size(), cv::Size(16, 12));
}

TEST(FolderDataset, GreyImagesGiveOneChannel) {
  TempDir dir;
  FolderFixture f;
  f.grey = true;
  write_folder_dataset(dir.path(), f);
  const auto ds = open_dataset("folder:" + dir.str());
  EXPECT_EQ(ds->channels(), 1);
  EXPECT_EQ(ds->image(Source::test, 3).type(), CV_8UC1);
}

TEST(FolderDataset, HiddenFilesAreIgnored) {
  TempDir dir;
  write_folder_dataset(dir.path());
  std::ofstream(dir / "train" / "circle" / ".DS_Store") << "junk";
  const auto ds = open_dataset("folder:" + dir.str());
  EXPECT_EQ(ds->size(Source::train), 12u);
}

TEST(FolderDataset, DecodesConcurrently) {
  TempDir dir;
  write_folder_dataset(dir.path());
  const auto ds = open_dataset("folder:" + dir.str());
  const int n = int(ds->size(Source::train));
  double serial = 0, parallel = 0;
  for (int i = 0; i < n; ++i) serial += cv::sum(ds->image(Source::train, i))[1];
#pragma omp parallel for reduction(+ : parallel)
  for (int i = 0; i < n; ++i) parallel += cv::sum(ds->image(Source::train, i))[1];
  EXPECT_EQ(serial, parallel);
}

TEST(FolderDatasetErrors, MissingDirectory) {
  const std::string msg = input_error([] { open_dataset("folder:/no/such/folder"); });
  EXPECT_NE(msg.find("/no/such/folder: no such directory"), std::string::npos) << msg;
}

TEST(FolderDatasetErrors, MissingTestFolder) {
  TempDir dir;
  write_folder_dataset(dir.path());
  std::filesystem::remove_all(dir / "test");
  const std::string msg = input_error([&] { open_dataset("folder:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "test").string() + ": no such directory"), std::string::npos) << msg;
}

TEST(FolderDatasetErrors, NonImageFileIsNamedAtOpen) {
  TempDir dir;
  write_folder_dataset(dir.path());
  const auto notes = dir / "train" / "square" / "notes.txt";
  std::ofstream(notes) << "these are squares\n";
  const std::string msg = input_error([&] { open_dataset("folder:" + dir.str()); });
  EXPECT_NE(msg.find(notes.string() + ": is not an image"), std::string::npos) << msg;
}

TEST(FolderDatasetErrors, CorruptImageIsNamedWhenDecoded) {
  TempDir dir;
  write_folder_dataset(dir.path());
  // A valid PNG signature (so the format is recognised at open) followed by garbage.
  const auto bad = dir / "test" / "triangle" / "img_001.png";
  std::vector<uint8_t> bytes(200, 0x42);
  const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::copy(signature, signature + 8, bytes.begin());
  featpipe::testing::write_bytes(bad, bytes);
  const auto ds = open_dataset("folder:" + dir.str());
  EXPECT_NO_THROW(ds->image(Source::test, 4));
  const std::string msg = input_error([&] { ds->image(Source::test, 5); });
  EXPECT_NE(msg.find(bad.string() + ": cannot be decoded"), std::string::npos) << msg;
}

/// The folder DIR/{train,test}/a/image, both files holding `bytes`, opened (with --resize 13x9, as the
/// fuzzer did): the message of the InputError.
std::string open_one_image_error(const std::string& bytes) {
  TempDir dir;
  for (const char* set : {"train", "test"}) {
    featpipe::testing::write_bytes(dir / set / "a" / "image",
                                   std::vector<uint8_t>(bytes.begin(), bytes.end()));
  }
  featpipe::data::OpenOptions options;
  options.resize = cv::Size(13, 9);
  const std::string msg = input_error([&] { open_dataset("folder:" + dir.str(), options); });
  EXPECT_NE(msg.find((dir / "train" / "a" / "image").string() + ": "), std::string::npos) << msg;
  return msg;
}

// Found by fuzz/fuzz_folder_image: a PBM header declaring 999999 x 999999 pixels, over OpenCV's limit.
// imread threw cv::Exception, which escaped the reader; now the header check refuses it first.
TEST(FolderDatasetErrors, ImageHeaderOverTheLimitIsAnInputError) {
  const std::string msg = open_one_image_error("P4\n 999999#  999999#   ");
  EXPECT_NE(msg.find("declares 999999x999999 pixels"), std::string::npos) << msg;
}

// Under featpipe's pixel limit but over OpenCV's width limit (2^20): OpenCV's exception becomes the
// InputError.
TEST(FolderDatasetErrors, OpenCvDecodeErrorIsAnInputError) {
  const std::string msg = open_one_image_error("P4\n2000000 1\n");
  EXPECT_NE(msg.find("cannot be decoded as an image (OpenCV: static_cast<size_t>(size.width) <= "
                     "CV_IO_MAX_IMAGE_WIDTH)"),
            std::string::npos)
      << msg;
}

TEST(FolderDatasetErrors, EmptyClassFolder) {
  TempDir dir;
  write_folder_dataset(dir.path());
  std::filesystem::create_directories(dir / "train" / "hexagon");
  const std::string msg = input_error([&] { open_dataset("folder:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "train" / "hexagon").string() + ": is an empty class folder"), std::string::npos)
      << msg;
}

// A newline in a class folder's name broke predict's output and the datasets table.
TEST(FolderDatasetErrors, ClassFolderNamesMustBePrintable) {
  TempDir dir;
  write_folder_dataset(dir.path());
  for (const char* set : {"train", "test"}) {
    std::filesystem::rename(dir / set / "circle", dir / set / "cir\ncle");
  }
  const std::string msg = input_error([&] { open_dataset("folder:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "train").string() + ": class name 1 of "), std::string::npos) << msg;
  EXPECT_NE(msg.find("'cir\\ncle', holds a control character"), std::string::npos) << msg;
}

TEST(FolderDatasetErrors, TestClassUnknownToTrain) {
  TempDir dir;
  write_folder_dataset(dir.path());
  std::filesystem::create_directories(dir / "test" / "star");
  std::filesystem::copy_file(dir / "test" / "circle" / "img_000.png", dir / "test" / "star" / "img_000.png");
  const std::string msg = input_error([&] { open_dataset("folder:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "test" / "star").string() + ": is a class the training set does not have"),
            std::string::npos)
      << msg;
}

TEST(FolderDatasetErrors, FileWhereAClassFolderBelongs) {
  TempDir dir;
  write_folder_dataset(dir.path());
  std::filesystem::copy_file(dir / "train" / "circle" / "img_000.png", dir / "train" / "stray.png");
  const std::string msg = input_error([&] { open_dataset("folder:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "train" / "stray.png").string() + ": is not a folder"), std::string::npos) << msg;
}
