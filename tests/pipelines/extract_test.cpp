// `featpipe extract` end to end on every dataset kind, and every bad input of the foundation: exit 2, a
// message naming the file and the problem, and no output file left behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "featpipe/data/feature_store.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::data::FeatureStoreReader;
using featpipe::testing::CliResult;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

namespace {

using featpipe::testing::contains;

/// The checks every bad input shares: exit 2, the DESIGN.md message format naming `subject` and
/// `problem`, and no file at all left in `out_dir` other than those listed in `inputs`.
void expect_bad_input(const CliResult& r, const std::string& subject, const std::string& problem,
                      const fs::path& out_dir) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  // The last line is ours (a decoder library may print its own complaint before it).
  const std::size_t last_line = r.err.rfind('\n', r.err.size() >= 2 ? r.err.size() - 2 : 0);
  const std::string last = r.err.substr(last_line == std::string::npos ? 0 : last_line + 1);
  EXPECT_TRUE(last.rfind("featpipe: error: ", 0) == 0) << r.err;
  EXPECT_TRUE(contains(r.err, subject)) << "message should name " << subject << ": " << r.err;
  EXPECT_TRUE(contains(r.err, problem)) << "message should say " << problem << ": " << r.err;
  for (const auto& name : featpipe::testing::list_dir(out_dir)) ADD_FAILURE() << "left behind: " << name;
}

class ExtractCli : public ::testing::Test {
 protected:
  TempDir data_;
  TempDir out_;

  CliResult extract(const std::string& spec, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"extract", "--quiet", "--data", spec, "--out", (out_ / "X.h5").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_featpipe(args, data_.path());
  }
};

TEST_F(ExtractCli, FashionMnistTrainGivesA60000x784Store) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << "dataset-fashion-mnist is not installed (make deps installs it)";
  }
  const CliResult r = extract("fashion-mnist", {"--split", "train", "--features", "raw"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string store = (out_ / "X.h5").string();
  FeatureStoreReader reader(store);
  EXPECT_EQ(reader.rows(), 60000u);
  EXPECT_EQ(reader.dim(), 784u);
  EXPECT_EQ(reader.provenance()["features"], "raw");
  EXPECT_EQ(reader.provenance()["dataset"], "fashion-mnist");

  // Readable by the HDF5 tools and by h5py with no plugins.
  EXPECT_EQ(std::system(("h5dump -H " + store + " > /dev/null").c_str()), 0);
  const std::string py =
      "/usr/bin/python3 -c \"import h5py,sys; f=h5py.File('" + store +
      "','r'); d=f['features']; sys.exit(0 if (d.shape==(60000,784) and d.dtype=='float32' "
      "and f.attrs['featpipe_kind']=='features') else 1)\"";
  EXPECT_EQ(std::system(py.c_str()), 0);

  const CliResult inspect = run_featpipe({"inspect", store}, data_.path());
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_TRUE(contains(inspect.out, "fashion-mnist")) << inspect.out;
  for (const char* name : {"T-shirt/top", "Trouser", "Ankle boot"}) {
    EXPECT_TRUE(contains(inspect.out, name)) << inspect.out;
  }
  EXPECT_TRUE(contains(inspect.out, "6000")) << inspect.out;
}

TEST_F(ExtractCli, IdxGzipped) {
  featpipe::testing::write_idx_dataset(data_.path(), {.train = 30, .test = 10});
  const CliResult r = extract("idx:" + data_.str(), {"--split", "test", "--features", "raw(size=14x14)"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  FeatureStoreReader reader((out_ / "X.h5").string());
  EXPECT_EQ(reader.rows(), 10u);
  EXPECT_EQ(reader.dim(), 196u);
}

TEST_F(ExtractCli, Cifar10WithValSplit) {
  featpipe::testing::write_cifar10_dataset(data_.path());
  const CliResult r = extract("cifar10:" + data_.str(), {"--split", "val", "--val-size", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  FeatureStoreReader reader((out_ / "X.h5").string());
  EXPECT_EQ(reader.rows(), 10u);
  EXPECT_EQ(reader.dim(), 32u * 32u * 3u);
  EXPECT_EQ(reader.class_names().size(), 10u);
  // The stored pixels are the images the fixture wrote (the row's source index says which).
  std::vector<float> row(reader.dim());
  reader.read_rows(0, 1, row.data());
  const cv::Mat expected = featpipe::testing::cifar_fixture_image(false, int(reader.index()[0]), 10);
  EXPECT_FLOAT_EQ(row[0], expected.at<cv::Vec3b>(0, 0)[0] / 255.0f);
  EXPECT_FLOAT_EQ(row[5], expected.at<cv::Vec3b>(0, 1)[2] / 255.0f);
}

TEST_F(ExtractCli, FolderNeedsResizeWhenSizesDiffer) {
  featpipe::testing::write_folder_dataset(data_.path());
  const CliResult bad = extract("folder:" + data_.str());
  expect_bad_input(bad, "folder:", "--resize", out_.path());

  const CliResult r = extract("folder:" + data_.str(), {"--resize", "16x16"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  FeatureStoreReader reader((out_ / "X.h5").string());
  EXPECT_EQ(reader.rows(), 12u);
  EXPECT_EQ(reader.dim(), 16u * 16u * 3u);
  EXPECT_EQ(reader.class_names(), (std::vector<std::string>{"circle", "square", "triangle"}));
}

TEST_F(ExtractCli, SyntheticShapes) {
  const CliResult r = extract("synthetic:shapes(classes=4,train=80,test=20,size=24)", {"--split", "test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  FeatureStoreReader reader((out_ / "X.h5").string());
  EXPECT_EQ(reader.rows(), 20u);
  EXPECT_EQ(reader.dim(), 24u * 24u * 3u);
}

TEST_F(ExtractCli, SameSeedSameBytes) {
  const std::string spec = "synthetic:shapes(classes=3,train=30,test=9,size=16)";
  ASSERT_EQ(extract(spec, {"--seed", "5"}).exit_code, 0);
  std::vector<float> a(30 * 768), b(30 * 768);
  FeatureStoreReader((out_ / "X.h5").string()).read_rows(0, 30, a.data());
  fs::remove(out_ / "X.h5");
  ASSERT_EQ(extract(spec, {"--seed", "5", "--threads", "1"}).exit_code, 0);
  FeatureStoreReader((out_ / "X.h5").string()).read_rows(0, 30, b.data());
  EXPECT_EQ(a, b);
}

// ---- bad input ----------------------------------------------------------------------------------------

TEST_F(ExtractCli, MissingPath) {
  expect_bad_input(extract("mnist:" + (data_ / "nowhere").string()), (data_ / "nowhere").string(), "no such",
                   out_.path());
}

TEST_F(ExtractCli, IdxWrongMagic) {
  featpipe::testing::write_idx_dataset(data_.path(), {.gz = false});
  const fs::path images = data_ / "train-images-idx3-ubyte";
  std::fstream f(images, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(2);
  f.put(char(0x0D));  // type code 0x0D is float, not unsigned byte
  f.close();
  expect_bad_input(extract("idx:" + data_.str()), images.string(), "magic", out_.path());
}

TEST_F(ExtractCli, IdxTruncated) {
  featpipe::testing::write_idx_dataset(data_.path(), {.gz = false});
  const fs::path images = data_ / "train-images-idx3-ubyte";
  fs::resize_file(images, fs::file_size(images) - 100);
  expect_bad_input(extract("idx:" + data_.str()), images.string(), "truncated", out_.path());
}

TEST_F(ExtractCli, ImageAndLabelCountsDiffer) {
  featpipe::testing::write_idx_dataset(data_.path(), {.train = 30, .gz = false});
  std::vector<uint8_t> labels(29, 1);
  featpipe::testing::write_bytes(data_ / "train-labels-idx1-ubyte",
                                 featpipe::testing::idx_bytes(0x801, {29}, labels));
  expect_bad_input(extract("idx:" + data_.str()), "train-labels-idx1-ubyte", "29 labels", out_.path());
}

TEST_F(ExtractCli, CifarBatchNotAMultipleOf3073) {
  featpipe::testing::write_cifar10_dataset(data_.path());
  const fs::path batch = data_ / "data_batch_3.bin";
  fs::resize_file(batch, fs::file_size(batch) - 7);
  expect_bad_input(extract("cifar10:" + data_.str()), batch.string(), "3073", out_.path());
}

TEST_F(ExtractCli, LabelOutOfRange) {
  featpipe::testing::write_cifar10_dataset(data_.path());
  const fs::path batch = data_ / "test_batch.bin";
  std::fstream f(batch, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(3073);  // the label byte of record 1
  f.put(char(42));
  f.close();
  expect_bad_input(extract("cifar10:" + data_.str(), {"--split", "test"}), batch.string(), "label 42",
                   out_.path());
}

TEST_F(ExtractCli, NonImageFileInFolder) {
  featpipe::testing::write_folder_dataset(data_.path());
  const fs::path notes = data_ / "train" / "square" / "notes.txt";
  std::ofstream(notes) << "not an image\n";
  expect_bad_input(extract("folder:" + data_.str(), {"--resize", "16x16"}), notes.string(), "image",
                   out_.path());
}

TEST_F(ExtractCli, CorruptImageInFolder) {
  featpipe::testing::write_folder_dataset(data_.path());
  const fs::path broken = data_ / "test" / "circle" / featpipe::testing::folder_fixture_name(1);
  fs::resize_file(broken, 40);
  expect_bad_input(extract("folder:" + data_.str(), {"--resize", "16x16", "--split", "test"}),
                   broken.string(), "decoded", out_.path());
}

TEST_F(ExtractCli, EmptyClassFolder) {
  featpipe::testing::write_folder_dataset(data_.path());
  fs::create_directories(data_ / "train" / "hexagon");
  expect_bad_input(extract("folder:" + data_.str(), {"--resize", "16x16"}),
                   (data_ / "train" / "hexagon").string(), "empty class folder", out_.path());
}

TEST_F(ExtractCli, OutputDirectoryMissing) {
  const std::string out = (out_ / "no" / "such" / "X.h5").string();
  const CliResult r = run_featpipe({"extract", "--data", "synthetic:shapes", "--out", out}, data_.path());
  expect_bad_input(r, out, "does not exist", out_.path());
}

TEST_F(ExtractCli, UnknownFeatureAndDataSpecs) {
  expect_bad_input(extract("synthetic:shapes", {"--features", "nosuch"}), "--features", "unknown extractor",
                   out_.path());
  expect_bad_input(extract("imagenet:/x"), "imagenet:/x", "", out_.path());
  expect_bad_input(extract("synthetic:shapes", {"--split", "dev"}), "--split", "dev", out_.path());
  expect_bad_input(extract("synthetic:shapes", {"--split", "val"}), "val", "--val-size", out_.path());
}

TEST_F(ExtractCli, InspectRefusesANonStore) {
  const fs::path text = data_ / "plain.h5";
  std::ofstream(text) << "hello\n";
  const CliResult r = run_featpipe({"inspect", text.string()}, data_.path());
  expect_bad_input(r, text.string(), "not an HDF5 file", out_.path());
}

}  // namespace

namespace {

TEST_F(ExtractCli, SubsetIsStratifiedAndSeeded) {
  const std::string spec = "synthetic:shapes(classes=4,train=200,test=40,size=16)";
  ASSERT_EQ(extract(spec, {"--subset", "40", "--seed", "3"}).exit_code, 0);
  FeatureStoreReader a((out_ / "X.h5").string());
  EXPECT_EQ(a.rows(), 40u);
  std::vector<int> per_class(4);
  for (int32_t l : a.labels()) ++per_class[l];
  EXPECT_EQ(per_class, (std::vector<int>{10, 10, 10, 10}));
  const std::vector<int64_t> first = a.index();
  fs::remove(out_ / "X.h5");
  ASSERT_EQ(extract(spec, {"--subset", "0.2", "--seed", "3"}).exit_code, 0);
  EXPECT_EQ(FeatureStoreReader((out_ / "X.h5").string()).index(), first);
  fs::remove(out_ / "X.h5");
  expect_bad_input(extract(spec, {"--subset", "-1"}), "--subset", "positive", out_.path());
}

}  // namespace
