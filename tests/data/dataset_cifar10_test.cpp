// CIFAR-10 binary reader: round trip, BGR order, and the bad inputs it must name.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "featpipe/core/errors.h"
#include "featpipe/data/dataset.h"
#include "test_fixtures.h"

using featpipe::InputError;
using featpipe::data::open_dataset;
using featpipe::data::Source;
using featpipe::testing::CifarFixture;
using featpipe::testing::TempDir;
using featpipe::testing::write_cifar10_dataset;

namespace {

std::string input_error(const std::function<void()>& fn) {
  return featpipe::testing::error_message<InputError>(fn);
}

}  // namespace

TEST(Cifar10Dataset, RoundTrip) {
  TempDir dir;
  const CifarFixture f;
  write_cifar10_dataset(dir.path(), f);
  const auto ds = open_dataset("cifar10:" + dir.str());
  EXPECT_EQ(ds->spec(), "cifar10:" + dir.str());
  EXPECT_EQ(ds->class_names(), featpipe::testing::cifar10_class_names());
  ASSERT_EQ(ds->size(Source::train), std::size_t(5 * f.per_batch));
  ASSERT_EQ(ds->size(Source::test), std::size_t(f.test));
  EXPECT_EQ(ds->uniform_size(), cv::Size(32, 32));
  EXPECT_EQ(ds->channels(), 3);
  for (bool test : {false, true}) {
    const Source s = test ? Source::test : Source::train;
    for (int i = 0; i < int(ds->size(s)); ++i) {
      const cv::Mat image = ds->image(s, i);
      ASSERT_EQ(image.type(), CV_8UC3);
      EXPECT_EQ(cv::norm(image, featpipe::testing::cifar_fixture_image(test, i, f.classes), cv::NORM_INF), 0)
          << (test ? "test " : "train ") << i;
      EXPECT_EQ(ds->label(s, i), i % f.classes);
    }
  }
}

TEST(Cifar10Dataset, ImagesAreBgr) {
  TempDir dir;
  write_cifar10_dataset(dir.path());
  // A record written by hand: label 3, red plane all 255, green 40, blue 0.
  std::vector<uint8_t> record(3073, 0);
  record[0] = 3;
  std::fill(record.begin() + 1, record.begin() + 1 + 1024, 255);
  std::fill(record.begin() + 1 + 1024, record.begin() + 1 + 2048, 40);
  featpipe::testing::write_bytes(dir / "test_batch.bin", record);
  const auto ds = open_dataset("cifar10:" + dir.str());
  ASSERT_EQ(ds->size(Source::test), 1u);
  EXPECT_EQ(ds->label(Source::test, 0), 3);
  const cv::Mat image = ds->image(Source::test, 0);
  for (const cv::Point p : {cv::Point(0, 0), cv::Point(31, 0), cv::Point(17, 9), cv::Point(31, 31)}) {
    EXPECT_EQ(image.at<cv::Vec3b>(p), cv::Vec3b(0, 40, 255));
  }
}

TEST(Cifar10Dataset, AcceptsTheFolderHoldingTheUnpackedArchive) {
  TempDir dir;
  write_cifar10_dataset(dir / "cifar-10-batches-bin");
  const auto ds = open_dataset("cifar10:" + dir.str());
  EXPECT_EQ(ds->size(Source::train), 20u);
}

TEST(Cifar10Dataset, ResizeAtOpen) {
  TempDir dir;
  write_cifar10_dataset(dir.path());
  featpipe::data::OpenOptions options;
  options.resize = cv::Size(16, 16);
  const auto ds = open_dataset("cifar10:" + dir.str(), options);
  EXPECT_EQ(ds->uniform_size(), cv::Size(16, 16));
  EXPECT_EQ(ds->image(Source::train, 19).size(), cv::Size(16, 16));
  EXPECT_EQ(ds->image(Source::train, 19).type(), CV_8UC3);
}

TEST(Cifar10DatasetErrors, MissingDirectory) {
  const std::string msg = input_error([] { open_dataset("cifar10:/no/such/cifar"); });
  EXPECT_NE(msg.find("/no/such/cifar: no such directory"), std::string::npos) << msg;
}

TEST(Cifar10DatasetErrors, MissingBatch) {
  TempDir dir;
  write_cifar10_dataset(dir.path());
  std::filesystem::remove(dir / "data_batch_3.bin");
  const std::string msg = input_error([&] { open_dataset("cifar10:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "data_batch_3.bin").string() + ": not found"), std::string::npos) << msg;
}

TEST(Cifar10DatasetErrors, MissingClassNames) {
  TempDir dir;
  write_cifar10_dataset(dir.path());
  std::filesystem::remove(dir / "batches.meta.txt");
  const std::string msg = input_error([&] { open_dataset("cifar10:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "batches.meta.txt").string() + ": not found"), std::string::npos) << msg;
}

TEST(Cifar10DatasetErrors, BatchSizeNotAMultipleOfTheRecord) {
  TempDir dir;
  write_cifar10_dataset(dir.path());
  const auto path = dir / "data_batch_2.bin";
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 100);
  const std::string msg = input_error([&] { open_dataset("cifar10:" + dir.str()); });
  EXPECT_NE(msg.find(path.string() + ": holds 12192 bytes, not a positive multiple of 3073"),
            std::string::npos)
      << msg;
}

TEST(Cifar10DatasetErrors, LabelBeyondTheClassList) {
  TempDir dir;
  CifarFixture f;
  f.classes = 10;
  write_cifar10_dataset(dir.path(), f);
  // Only four names in the class list, so label 4 (row 4 of the first batch) is out of range.
  std::ofstream(dir / "batches.meta.txt") << "airplane\nautomobile\nbird\ncat\n";
  const std::string msg = input_error([&] { open_dataset("cifar10:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "data_batch_2.bin").string() + ": record 0 has label 4"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("batches.meta.txt names only 4 classes"), std::string::npos) << msg;
}

TEST(Cifar10DatasetErrors, EmptyClassList) {
  TempDir dir;
  write_cifar10_dataset(dir.path());
  std::ofstream(dir / "batches.meta.txt") << "\n\n";
  const std::string msg = input_error([&] { open_dataset("cifar10:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "batches.meta.txt").string() + ": holds no class names"), std::string::npos)
      << msg;
}

namespace {

// A batch or class list that is a folder, or a link to a device, was reported as "not found".
TEST(Cifar10DatasetErrors, AFolderOrADeviceWhereAFileBelongsIsNamedAsSuch) {
  TempDir dir;
  write_cifar10_dataset(dir.path());
  std::filesystem::remove(dir / "batches.meta.txt");
  std::filesystem::create_directory(dir / "batches.meta.txt");
  std::string msg = input_error([&] { open_dataset("cifar10:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "batches.meta.txt").string() + ": is a directory, not a file"), std::string::npos)
      << msg;
  std::filesystem::remove(dir / "batches.meta.txt");
  write_cifar10_dataset(dir.path());
  std::filesystem::remove(dir / "data_batch_2.bin");
  std::filesystem::create_symlink("/dev/zero", dir / "data_batch_2.bin");
  msg = input_error([&] { open_dataset("cifar10:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "data_batch_2.bin").string() + ": is a device, not a file"), std::string::npos)
      << msg;
}

// Duplicate, empty or unprintable names in batches.meta.txt (a NUL byte, a tab inside a name).
TEST(Cifar10DatasetErrors, ClassNamesMustBeDistinctAndPrintable) {
  TempDir dir;
  write_cifar10_dataset(dir.path());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cat\ncat\ndog\ndog\n", "class name 2 of 4, 'cat', repeats class name 1"},
      {std::string("cat\nd\0g\n", 8), "class name 2 of 2, 'd\\0g', holds a control character"},
      {"cat\nbig\tdog\n", "class name 2 of 2, 'big\\tdog', holds a control character"}};
  for (const auto& [text, expected] : cases) {
    std::ofstream(dir / "batches.meta.txt", std::ios::binary) << text;
    const std::string msg = input_error([&] { open_dataset("cifar10:" + dir.str()); });
    EXPECT_NE(msg.find((dir / "batches.meta.txt").string() + ": " + expected), std::string::npos) << msg;
  }
}

}  // namespace
