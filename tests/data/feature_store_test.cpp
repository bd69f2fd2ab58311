#include "featpipe/data/feature_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "featpipe/core/errors.h"

namespace fs = std::filesystem;
using featpipe::InputError;
using featpipe::data::DType;
using featpipe::data::FeatureStoreReader;
using featpipe::data::FeatureStoreWriter;
using featpipe::data::StoreWriter;

namespace {

class FeatureStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("featpipe_feature_store_test_" + std::to_string(::getpid()) + "_" + test->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  // The message of the InputError thrown by opening `path` as a feature store, or "" when it opens.
  static std::string open_error(const std::string& path) {
    try {
      FeatureStoreReader reader(path);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  // A store with /features [rows, 2], /labels [label_rows], /index [rows] and two class names, written with
  // the generic writer so that it can be inconsistent on purpose.
  std::string write_raw(const std::string& name, uint64_t rows, uint64_t label_rows, int32_t label = 0,
                        uint64_t cols = 2, const std::vector<std::string>& class_names = {"a", "b"}) {
    const std::string path = file(name);
    StoreWriter writer(path, "features", nlohmann::json::object());
    const std::vector<float> features(rows * cols + 1, 1.0f);
    const std::vector<int32_t> labels(label_rows, label);
    const std::vector<int64_t> index(rows, 0);
    writer.write("/features", features.data(), {rows, cols});
    writer.write("/labels", labels.data(), {label_rows});
    writer.write("/index", index.data(), {rows});
    writer.write_strings("/class_names", class_names);
    writer.commit();
    return path;
  }

  fs::path dir_;
};

}  // namespace

TEST_F(FeatureStoreTest, RoundTripInBlocks) {
  const std::string path = file("features.h5");
  const uint64_t dim = 4, rows = 11;
  std::vector<float> features(rows * dim);
  std::vector<int32_t> labels(rows);
  std::vector<int64_t> index(rows);
  for (uint64_t r = 0; r < rows; ++r) {
    for (uint64_t d = 0; d < dim; ++d) features[r * dim + d] = static_cast<float>(r) + 0.125f * d;
    labels[r] = static_cast<int32_t>(r % 3);
    index[r] = static_cast<int64_t>(1000 + 7 * r);
  }
  const nlohmann::json provenance = {{"features", "raw"}, {"seed", 1}};
  {
    FeatureStoreWriter writer(path, dim, {"cat", "dog", "bird"}, provenance);
    for (uint64_t begin = 0; begin < rows; begin += 4) {
      const uint64_t count = std::min<uint64_t>(4, rows - begin);
      writer.append(&features[begin * dim], &labels[begin], &index[begin], count);
    }
    EXPECT_EQ(writer.rows_written(), rows);
    writer.commit();
  }
  FeatureStoreReader reader(path);
  EXPECT_EQ(reader.rows(), rows);
  EXPECT_EQ(reader.dim(), dim);
  EXPECT_EQ(reader.class_names(), (std::vector<std::string>{"cat", "dog", "bird"}));
  EXPECT_EQ(reader.labels(), labels);
  EXPECT_EQ(reader.index(), index);
  EXPECT_EQ(reader.provenance(), provenance);
  EXPECT_EQ(reader.store().kind(), "features");
  EXPECT_EQ(reader.read_all(), features);
  std::vector<float> middle(3 * dim);
  reader.read_rows(5, 3, middle.data());
  EXPECT_EQ(middle, std::vector<float>(features.begin() + 5 * dim, features.begin() + 8 * dim));
  EXPECT_EQ(reader.store().info("/features").chunk.front(), (1u << 20) / (dim * 4));
}

TEST_F(FeatureStoreTest, OtherKindsAndExtraDatasets) {
  const std::string path = file("descriptors.h5");
  {
    FeatureStoreWriter writer(path, 2, {"only"}, nlohmann::json::object(), "descriptors");
    const float rows[4] = {1, 2, 3, 4};
    const int32_t labels[2] = {0, 0};
    const int64_t index[2] = {5, 5};
    writer.append(rows, labels, index, 2);
    const float frames[8] = {0, 0, 1, 0, 4, 4, 1, 0};
    writer.store().write("/frames", frames, {2, 4});
    writer.commit();
  }
  FeatureStoreReader reader(path, "descriptors");
  EXPECT_EQ(reader.store().kind(), "descriptors");
  // a descriptor store is no feature store (train --train d.h5 and eval --data d.h5 accepted it)
  const std::string message = open_error(path);
  EXPECT_NE(
      message.find(path + ": is a store of kind 'descriptors' (local descriptors, a row per patch), not "
                          "'features'; give the output of `featpipe extract` or `featpipe encode`"),
      std::string::npos)
      << message;
  EXPECT_NO_THROW(FeatureStoreReader(path, ""));  // any kind, as inspect reads it
  EXPECT_EQ(reader.store().read_floats("/frames").size(), 8u);
  EXPECT_EQ(reader.read_all(), (std::vector<float>{1, 2, 3, 4}));
}

TEST_F(FeatureStoreTest, EmptyStore) {
  const std::string path = file("empty.h5");
  {
    FeatureStoreWriter writer(path, 3, {"a"}, nlohmann::json::object());
    writer.commit();
  }
  FeatureStoreReader reader(path);
  EXPECT_EQ(reader.rows(), 0u);
  EXPECT_EQ(reader.dim(), 3u);
  EXPECT_TRUE(reader.read_all().empty());
}

TEST_F(FeatureStoreTest, UncommittedWriterLeavesNothing) {
  const std::string path = file("partial.h5");
  {
    FeatureStoreWriter writer(path, 1, {"a"}, nlohmann::json::object());
    const float row = 1;
    const int32_t label = 0;
    const int64_t index = 0;
    writer.append(&row, &label, &index, 1);
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(FeatureStoreTest, RefusesZeroDimensions) {
  EXPECT_THROW(FeatureStoreWriter(file("zero.h5"), 0, {"a"}, nlohmann::json::object()),
               std::invalid_argument);
  EXPECT_FALSE(fs::exists(file("zero.h5")));
}

// A store made elsewhere with rows of no values: inspect divided by zero on it, and train wrote a model W
// [0, C]; the reader refuses it for every command.
TEST_F(FeatureStoreTest, RefusesFeaturesWithoutColumns) {
  const std::string path = write_raw("no_columns.h5", 3, 3, 0, 0);
  const std::string message = open_error(path);
  EXPECT_NE(message.find(path + ": /features has no columns"), std::string::npos) << message;
}

TEST_F(FeatureStoreTest, RefusesInconsistentLengths) {
  const std::string path = write_raw("short_labels.h5", 3, 2);
  const std::string message = open_error(path);
  EXPECT_NE(message.find(path + ": /features has 3 rows but /labels has 2"), std::string::npos) << message;
}

TEST_F(FeatureStoreTest, RefusesLabelsOutsideTheClasses) {
  const std::string path = write_raw("bad_label.h5", 3, 3, 2);
  const std::string message = open_error(path);
  EXPECT_NE(message.find("row 0 has label 2 but there are 2 class names"), std::string::npos) << message;
}

// Class names that repeat, are empty or hold control characters printed an empty class in predict and broke
// the datasets table; every source of class names (stores, models, folders, CIFAR) checks them alike.
TEST_F(FeatureStoreTest, RefusesClassNamesThatCannotBeToldApartOrPrinted) {
  const std::string dup = write_raw("dup.h5", 3, 3, 0, 2, {"cat", "cat"});
  EXPECT_NE(open_error(dup).find(dup + ": class name 2 of 2, 'cat', repeats class name 1"), std::string::npos)
      << open_error(dup);
  const std::string empty = write_raw("empty_name.h5", 3, 3, 0, 2, {"cat", ""});
  EXPECT_NE(open_error(empty).find("class name 2 of 2 is empty"), std::string::npos) << open_error(empty);
  const std::string newline = write_raw("newline.h5", 3, 3, 0, 2, {"cat", "do\ng"});
  EXPECT_NE(open_error(newline).find("class name 2 of 2, 'do\\ng', holds a control character"),
            std::string::npos)
      << open_error(newline);
}

// Float labels were truncated silently (0.7 read as 0); whole numbers stored as floats still read.
TEST_F(FeatureStoreTest, RefusesLabelsThatAreNotWholeNumbers) {
  for (const float second : {0.7f, 1.0f}) {
    const std::string path = file(second == 1.0f ? "whole.h5" : "fraction.h5");
    {
      StoreWriter writer(path, "features", nlohmann::json::object());
      const std::vector<float> features(6, 1.0f), labels = {0.0f, second, 1.0f};
      const std::vector<int64_t> index = {0, 1, 2};
      writer.write("/features", features.data(), {3, 2});
      writer.write("/labels", labels.data(), {3});
      writer.write("/index", index.data(), {3});
      writer.write_strings("/class_names", {"a", "b"});
      writer.commit();
    }
    if (second == 1.0f) {
      EXPECT_EQ(FeatureStoreReader(path).labels(), (std::vector<int32_t>{0, 1, 1}));
      continue;
    }
    const std::string message = open_error(path);
    EXPECT_NE(
        message.find(path + ": /labels is float32 and holds 0.7 at position 1, which is not a whole number"),
        std::string::npos)
        << message;
  }
}

TEST_F(FeatureStoreTest, RefusesOneDimensionalFeatures) {
  const std::string path = file("flat.h5");
  {
    StoreWriter writer(path, "features", nlohmann::json::object());
    const float features[3] = {1, 2, 3};
    writer.write("/features", features, {3});
    writer.commit();
  }
  const std::string message = open_error(path);
  EXPECT_NE(message.find("/features has shape [3]; expected 2 dimensions"), std::string::npos) << message;
}

TEST_F(FeatureStoreTest, RefusesStoresWithoutFeatures) {
  const std::string path = file("vocab.h5");
  {
    StoreWriter writer(path, "vocab", nlohmann::json::object());
    const float centers[4] = {0, 1, 2, 3};
    writer.write("/centers", centers, {2, 2});
    writer.commit();
  }
  const std::string message = open_error(path);
  EXPECT_NE(message.find(path + ": is a store of kind 'vocab', not 'features'"), std::string::npos)
      << message;
  // of the right kind but without the dataset
  const std::string bare = file("bare.h5");
  {
    StoreWriter writer(bare, "features", nlohmann::json::object());
    const float centers[4] = {0, 1, 2, 3};
    writer.write("/centers", centers, {2, 2});
    writer.commit();
  }
  const std::string missing = open_error(bare);
  EXPECT_NE(missing.find(bare + ": has no /features dataset"), std::string::npos) << missing;
}
