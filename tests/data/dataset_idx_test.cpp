// IDX / Fashion-MNIST / MNIST readers: the real Fashion-MNIST package, round trips of files written here,
// and every bad input the reader must name.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <opencv2/imgproc.hpp>

#include "featpipe/core/errors.h"
#include "featpipe/data/dataset.h"
#include "test_fixtures.h"

using featpipe::InputError;
using featpipe::data::open_dataset;
using featpipe::data::OpenOptions;
using featpipe::data::Source;
using featpipe::testing::IdxFixture;
using featpipe::testing::TempDir;
using featpipe::testing::write_idx_dataset;

namespace {

std::string input_error(const std::function<void()>& fn) {
  return featpipe::testing::error_message<InputError>(fn);
}

void expect_matches_fixture(const featpipe::data::Dataset& ds, const IdxFixture& f) {
  ASSERT_EQ(ds.size(Source::train), std::size_t(f.train));
  ASSERT_EQ(ds.size(Source::test), std::size_t(f.test));
  for (bool test : {false, true}) {
    const Source s = test ? Source::test : Source::train;
    for (int i = 0; i < int(ds.size(s)); ++i) {
      const cv::Mat image = ds.image(s, i);
      ASSERT_EQ(image.type(), CV_8UC1);
      ASSERT_EQ(image.size(), cv::Size(f.cols, f.rows));
      ASSERT_EQ(ds.label(s, i), featpipe::testing::fixture_label(i, f.classes));
      for (int y = 0; y < f.rows; ++y)
        for (int x = 0; x < f.cols; ++x)
          ASSERT_EQ(image.at<uint8_t>(y, x), featpipe::testing::idx_fixture_pixel(f, test, i, y, x))
              << "image " << i << " at " << y << "," << x;
    }
  }
}

}  // namespace

TEST(FashionMnist, OpensTheDebianPackage) {
  if (!std::filesystem::exists(featpipe::data::fashion_mnist_dir()))
    GTEST_SKIP() << "dataset-fashion-mnist absent";
  const auto ds = open_dataset("fashion-mnist");
  EXPECT_EQ(ds->spec(), "fashion-mnist");
  EXPECT_EQ(ds->size(Source::train), 60000u);
  EXPECT_EQ(ds->size(Source::test), 10000u);
  EXPECT_EQ(ds->uniform_size(), cv::Size(28, 28));
  EXPECT_EQ(ds->channels(), 1);
  const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                          "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  EXPECT_EQ(ds->class_names(), names);
  std::vector<int> counts(10), test_counts(10);
  for (int32_t l : ds->labels(Source::train)) ++counts.at(l);
  for (int32_t l : ds->labels(Source::test)) ++test_counts.at(l);
  EXPECT_EQ(counts, std::vector<int>(10, 6000));
  EXPECT_EQ(test_counts, std::vector<int>(10, 1000));
  // Golden values from numpy on the same files.
  EXPECT_EQ(ds->label(Source::train, 0), 9);
  EXPECT_EQ(ds->label(Source::test, 4), 6);
  EXPECT_EQ(cv::sum(ds->image(Source::train, 0))[0], 76247);
  EXPECT_EQ(cv::sum(ds->image(Source::train, 59999))[0], 16684);
  EXPECT_EQ(cv::sum(ds->image(Source::test, 0))[0], 33456);
  EXPECT_EQ(ds->image(Source::train, 0).at<uint8_t>(10, 14), 228);
}

TEST(FashionMnist, DirectoryFromEnvironment) {
  const char* old = std::getenv("FEATPIPE_FASHION_MNIST");
  const std::string saved = old ? old : "";
  setenv("FEATPIPE_FASHION_MNIST", "/nowhere/fmnist", 1);
  EXPECT_EQ(featpipe::data::fashion_mnist_dir(), "/nowhere/fmnist");
  const std::string msg = input_error([] { open_dataset("fashion-mnist"); });
  EXPECT_NE(msg.find("/nowhere/fmnist"), std::string::npos) << msg;
  EXPECT_NE(msg.find("FEATPIPE_FASHION_MNIST"), std::string::npos) << msg;
  if (old) {
    setenv("FEATPIPE_FASHION_MNIST", saved.c_str(), 1);
  } else {
    unsetenv("FEATPIPE_FASHION_MNIST");
  }
}

TEST(FashionMnist, KnownSpecsIncludeDefaultAndSynthetic) {
  const auto specs = featpipe::data::known_dataset_specs();
  EXPECT_EQ(specs.front(), "fashion-mnist");
  EXPECT_NE(std::find(specs.begin(), specs.end(), "synthetic:shapes"), specs.end());
}

TEST(IdxDataset, GzipRoundTrip) {
  TempDir dir;
  const IdxFixture f;
  write_idx_dataset(dir.path(), f);
  const auto ds = open_dataset("idx:" + dir.str());
  EXPECT_EQ(ds->spec(), "idx:" + dir.str());
  EXPECT_EQ(ds->class_names(), (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
  EXPECT_EQ(ds->uniform_size(), cv::Size(28, 28));
  expect_matches_fixture(*ds, f);
}

TEST(IdxDataset, PlainRoundTripWithNonSquareImages) {
  TempDir dir;
  IdxFixture f;
  f.gz = false;
  f.rows = 12;
  f.cols = 9;
  f.classes = 4;
  write_idx_dataset(dir.path(), f);
  const auto ds = open_dataset("mnist:" + dir.str());
  EXPECT_EQ(ds->uniform_size(), cv::Size(9, 12));
  expect_matches_fixture(*ds, f);
}

TEST(IdxDataset, ClassNamesFollowTheLargestLabel) {
  TempDir dir;
  IdxFixture f;
  f.classes = 13;
  write_idx_dataset(dir.path(), f);
  const auto ds = open_dataset("idx:" + dir.str());
  ASSERT_EQ(ds->class_names().size(), 13u);
  EXPECT_EQ(ds->class_names().back(), "12");
}

TEST(IdxDataset, ResizeAtOpenUsesInterArea) {
  TempDir dir;
  const IdxFixture f;
  write_idx_dataset(dir.path(), f);
  const auto original = open_dataset("idx:" + dir.str());
  OpenOptions options;
  options.resize = cv::Size(14, 10);
  const auto resized = open_dataset("idx:" + dir.str(), options);
  EXPECT_EQ(resized->uniform_size(), cv::Size(14, 10));
  for (std::size_t i : {0u, 7u, 19u}) {
    cv::Mat expected;
    cv::resize(original->image(Source::test, i), expected, cv::Size(14, 10), 0, 0, cv::INTER_AREA);
    const cv::Mat got = resized->image(Source::test, i);
    ASSERT_EQ(got.size(), cv::Size(14, 10));
    EXPECT_EQ(cv::norm(got, expected, cv::NORM_INF), 0);
  }
}

TEST(IdxDataset, ImagesShareOneBufferAndReadConcurrently) {
  TempDir dir;
  const IdxFixture f;
  write_idx_dataset(dir.path(), f);
  const auto ds = open_dataset("idx:" + dir.str());
  EXPECT_EQ(ds->image(Source::train, 1).data, ds->image(Source::train, 0).data + 28 * 28);
  double serial = 0, parallel = 0;
  for (int i = 0; i < f.train; ++i)
    serial += cv::sum(ds->image(Source::train, i))[0] + ds->label(Source::train, i);
#pragma omp parallel for reduction(+ : parallel)
  for (int i = 0; i < f.train; ++i)
    parallel += cv::sum(ds->image(Source::train, i))[0] + ds->label(Source::train, i);
  EXPECT_EQ(serial, parallel);
}

TEST(IdxDatasetErrors, MissingDirectory) {
  const std::string msg = input_error([] { open_dataset("idx:/no/such/idx/dir"); });
  EXPECT_NE(msg.find("/no/such/idx/dir: no such directory"), std::string::npos) << msg;
}

TEST(IdxDatasetErrors, MissingFile) {
  TempDir dir;
  write_idx_dataset(dir.path());
  std::filesystem::remove(dir / "t10k-labels-idx1-ubyte.gz");
  const std::string msg = input_error([&] { open_dataset("idx:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "t10k-labels-idx1-ubyte.gz").string() + ": not found"), std::string::npos) << msg;
}

TEST(IdxDatasetErrors, WrongMagicNumber) {
  TempDir dir;
  write_idx_dataset(dir.path());
  const auto path = dir / "train-images-idx3-ubyte.gz";
  featpipe::testing::write_bytes(path, featpipe::testing::idx_bytes(0x801, {50, 28, 28}, {}), true);
  const std::string msg = input_error([&] { open_dataset("idx:" + dir.str()); });
  EXPECT_NE(msg.find(path.string() + ": wrong magic number 0x00000801"), std::string::npos) << msg;
  EXPECT_NE(msg.find("0x00000803"), std::string::npos) << msg;
}

TEST(IdxDatasetErrors, GzipDataUnderAPlainName) {
  TempDir dir;
  IdxFixture f;
  f.gz = false;
  write_idx_dataset(dir.path(), f);
  const auto path = dir / "t10k-labels-idx1-ubyte";
  featpipe::testing::write_bytes(path, featpipe::testing::idx_bytes(0x801, {20}, std::vector<uint8_t>(20)),
                                 true);
  const std::string msg = input_error([&] { open_dataset("idx:" + dir.str()); });
  EXPECT_NE(msg.find(path.string() + ": wrong magic number"), std::string::npos) << msg;
  EXPECT_NE(msg.find("gzip-compressed"), std::string::npos) << msg;
}

TEST(IdxDatasetErrors, TruncatedData) {
  TempDir dir;
  write_idx_dataset(dir.path());
  const auto path = dir / "train-images-idx3-ubyte.gz";
  featpipe::testing::write_bytes(
      path, featpipe::testing::idx_bytes(0x803, {50, 28, 28}, std::vector<uint8_t>(1000)), true);
  const std::string msg = input_error([&] { open_dataset("idx:" + dir.str()); });
  EXPECT_NE(msg.find(path.string() + ": truncated"), std::string::npos) << msg;
  EXPECT_NE(msg.find("39200"), std::string::npos) << msg;  // 50 x 28 x 28 declared
  EXPECT_NE(msg.find("1000"), std::string::npos) << msg;
}

TEST(IdxDatasetErrors, TruncatedGzipStream) {
  TempDir dir;
  write_idx_dataset(dir.path());
  const auto path = dir / "train-images-idx3-ubyte.gz";
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  const std::string msg = input_error([&] { open_dataset("idx:" + dir.str()); });
  EXPECT_NE(msg.find(path.string() + ":"), std::string::npos) << msg;
  EXPECT_TRUE(msg.find("gzip") != std::string::npos || msg.find("truncated") != std::string::npos) << msg;
}

// A stream that holds far more than its header declares (an IDX .gz of 20 images followed by a gigabyte of
// zeros was inflated whole: 2 GiB and 17 s) is read no further than the declared data. Here the 64 MiB that
// follow end in a cut stream, which a reader that went on would report as a corrupt file.
TEST(IdxDatasetErrors, GzipStreamLongerThanItsHeaderIsNotReadPastTheDeclaredData) {
  TempDir dir;
  const IdxFixture f;
  write_idx_dataset(dir.path(), f);
  const auto path = dir / "train-images-idx3-ubyte.gz";
  std::vector<uint8_t> bytes;
  {
    gzFile in = gzopen(path.c_str(), "rb");
    ASSERT_NE(in, nullptr);
    uint8_t buffer[1 << 16];
    for (int got; (got = gzread(in, buffer, sizeof buffer)) > 0;)
      bytes.insert(bytes.end(), buffer, buffer + got);
    gzclose(in);
  }
  bytes.resize(bytes.size() + (std::size_t(64) << 20), 0);
  featpipe::testing::write_bytes(path, bytes, true);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 64);
  const auto ds = open_dataset("idx:" + dir.str());
  expect_matches_fixture(*ds, f);
}

// Found by fuzz/fuzz_idx (with --resize 5x7): an empty set whose header declares 11842998 x 3075603703
// images passed the length check (0 bytes expected) and overflowed cv::Size. The files as the fuzzer wrote
// them.
TEST(IdxDatasetErrors, EmptySetDeclaringHugeImages) {
  const std::vector<uint8_t> images = {
      0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0xb4, 0xb5, 0xb6, 0xb7, 0x51, 0xfc, 0xf7,
      0xf2, 0x12, 0x17, 0x09, 0x0e, 0x0a, 0x00, 0x00, 0x00, 0x0c, 0x11, 0x16, 0xbb, 0x26, 0x21, 0x00,
      0x10, 0x61, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xa5, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
      0xa5, 0x1f, 0x24, 0x0e, 0x13, 0x18, 0x1d, 0x22, 0x11, 0x16, 0x1b, 0x20, 0x25, 0xba, 0xbb, 0x1b,
      0x20, 0x25, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0x17, 0x1c, 0x21, 0x26, 0x2b};
  const std::vector<uint8_t> labels = {0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02};
  TempDir dir;
  for (const std::string set : {"train", "t10k"}) {
    featpipe::testing::write_bytes(dir / (set + "-images-idx3-ubyte"), images);
    featpipe::testing::write_bytes(dir / (set + "-labels-idx1-ubyte"), labels);
  }
  OpenOptions options;
  options.resize = cv::Size(5, 7);
  const std::string msg = input_error([&] { open_dataset("idx:" + dir.str(), options); });
  EXPECT_NE(msg.find("-images-idx3-ubyte: declares images of 11842998 x 3075603703 pixels, more than the "
                     "1073741824 an image may have"),
            std::string::npos)
      << msg;
}

TEST(IdxDatasetErrors, ImageAndLabelCountsDiffer) {
  TempDir dir;
  write_idx_dataset(dir.path());
  const auto path = dir / "train-labels-idx1-ubyte.gz";
  featpipe::testing::write_bytes(path, featpipe::testing::idx_bytes(0x801, {49}, std::vector<uint8_t>(49)),
                                 true);
  const std::string msg = input_error([&] { open_dataset("idx:" + dir.str()); });
  EXPECT_NE(msg.find(path.string() + ": holds 49 labels"), std::string::npos) << msg;
  EXPECT_NE(msg.find("50 images"), std::string::npos) << msg;
}

TEST(IdxDatasetErrors, LabelOutOfRangeForFashionMnist) {
  TempDir dir;
  IdxFixture f;
  f.classes = 11;  // label 10 appears, but Fashion-MNIST has ten classes
  write_idx_dataset(dir.path(), f);
  const std::string msg = input_error([&] { open_dataset("fashion-mnist:" + dir.str()); });
  EXPECT_NE(msg.find((dir / "train-labels-idx1-ubyte.gz").string() + ": label 10 at row 10 is out of range"),
            std::string::npos)
      << msg;
}

TEST(DatasetSpecErrors, UnknownKindListsTheKnownOnes) {
  const std::string msg = input_error([] { open_dataset("imagenet:/data"); });
  EXPECT_NE(msg.find("imagenet:/data: unknown dataset kind 'imagenet'"), std::string::npos) << msg;
  for (const char* kind :
       {"fashion-mnist", "mnist:DIR", "idx:DIR", "cifar10:DIR", "folder:DIR", "synthetic:shapes"}) {
    EXPECT_NE(msg.find(kind), std::string::npos) << msg;
  }
}

TEST(DatasetSpecErrors, MissingPathAfterKind) {
  const std::string msg = input_error([] { open_dataset("cifar10:"); });
  EXPECT_NE(msg.find("cifar10:: missing directory"), std::string::npos) << msg;
}

TEST(DatasetSpecErrors, NonPositiveResize) {
  OpenOptions options;
  options.resize = cv::Size(0, 10);
  const std::string msg = input_error([&] { open_dataset("synthetic:shapes", options); });
  EXPECT_NE(msg.find("--resize"), std::string::npos) << msg;
}

namespace {

// A single label 250 made 251 classes, 241 of them without an image: above 9, every inferred class needs a
// training image.
TEST(IdxDatasetErrors, LabelGapsAboveNineAreRefused) {
  TempDir dir;
  featpipe::testing::IdxFixture f;
  write_idx_dataset(dir.path(), f);
  // the first training label becomes 250
  const auto labels = dir / "train-labels-idx1-ubyte.gz";
  std::vector<uint32_t> dims = {uint32_t(f.train)};
  std::vector<uint8_t> values(f.train);
  for (int i = 0; i < f.train; ++i) values[i] = uint8_t(featpipe::testing::fixture_label(i, f.classes));
  values[0] = 250;
  featpipe::testing::write_bytes(labels, featpipe::testing::idx_bytes(0x801, dims, values), true);
  const std::string msg = input_error([&] { open_dataset("mnist:" + dir.str()); });
  EXPECT_NE(
      msg.find(labels.string() + ": labels reach 250, so classes 0..250 would be inferred, but class 10 "
                                 "has no training image"),
      std::string::npos)
      << msg;
}

}  // namespace
