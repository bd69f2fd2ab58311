// `featpipe inspect` run as a user would: the real binary on stores made here.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "featpipe/data/feature_store.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::data::FeatureStoreWriter;
using featpipe::data::StoreWriter;

namespace {

struct Output {
  int status;
  std::string out, err;
};

class InspectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("featpipe_inspect_test_" + std::to_string(::getpid()) + "_" + test->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  Output inspect(const std::string& args) const {
    const std::string err_path = file("stderr.txt");
    Output run;
    FILE* pipe = ::popen((std::string(FEATPIPE_BINARY) + " inspect " + args + " 2>" + err_path).c_str(), "r");
    if (pipe == nullptr) return {-1, "", "popen failed"};
    std::array<char, 4096> buffer;
    while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) run.out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::stringstream err;
    err << std::ifstream(err_path).rdbuf();
    run.err = err.str();
    return run;
  }

  // 30 rows x `dim`: dimension 0 holds the row number (mean 14.5, population std sqrt((30^2 - 1) / 12)),
  // dimension 1 is constant 2, the rest are d * 0.5; row 3 has a NaN in dimension 1 and row 4 an Inf.
  // Labels: 15 cat, 10 dog, 5 bird.
  std::string write_feature_store(uint64_t dim) const {
    const std::string path = file("features.h5");
    const uint64_t rows = 30;
    std::vector<float> features(rows * dim);
    std::vector<int32_t> labels(rows);
    std::vector<int64_t> index(rows);
    for (uint64_t r = 0; r < rows; ++r) {
      features[r * dim] = static_cast<float>(r);
      for (uint64_t d = 1; d < dim; ++d) features[r * dim + d] = d == 1 ? 2.0f : 0.5f * d;
      labels[r] = r < 15 ? 0 : r < 25 ? 1 : 2;
      index[r] = static_cast<int64_t>(100 + r);
    }
    features[3 * dim + 1] = std::numeric_limits<float>::quiet_NaN();
    features[4 * dim + 1] = std::numeric_limits<float>::infinity();
    FeatureStoreWriter writer(path, dim, {"cat", "dog", "bird"},
                              {{"dataset", "synthetic:shapes"}, {"features", "raw"}, {"seed", 7}});
    writer.append(features.data(), labels.data(), index.data(), 10);
    writer.append(features.data() + 10 * dim, labels.data() + 10, index.data() + 10, rows - 10);
    writer.commit();
    return path;
  }

  fs::path dir_;
};

// The whitespace-separated fields of the first output line whose first field is `first`.
std::vector<std::string> line_starting(const std::string& text, const std::string& first) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> fields;
    for (std::string w; words >> w;) fields.push_back(w);
    if (!fields.empty() && fields[0] == first) return fields;
  }
  return {};
}

using featpipe::testing::contains;

}  // namespace

TEST_F(InspectTest, DescribesAFeatureStore) {
  const std::string path = write_feature_store(4);
  const Output run = inspect(path);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "store:    " + path + "\n")) << run.out;
  EXPECT_TRUE(contains(run.out, "kind:     features\n")) << run.out;
  EXPECT_TRUE(contains(run.out, "version:  1\n")) << run.out;
  EXPECT_EQ(line_starting(run.out, "created:").size(), 2u) << run.out;

  EXPECT_EQ(line_starting(run.out, "/features"),
            (std::vector<std::string>{"/features", "float32", "[30,", "4]", "chunks", "[65536,", "4]"}))
      << run.out;
  EXPECT_EQ(line_starting(run.out, "/labels"),
            (std::vector<std::string>{"/labels", "int32", "[30]", "chunks", "[16384]"}))
      << run.out;
  EXPECT_EQ(line_starting(run.out, "/index")[1], "int64") << run.out;
  EXPECT_EQ(line_starting(run.out, "/class_names"),
            (std::vector<std::string>{"/class_names", "string", "[3]", "contiguous"}))
      << run.out;

  EXPECT_TRUE(contains(run.out, "provenance:\n  {\n")) << run.out;
  EXPECT_TRUE(contains(run.out, "    \"dataset\": \"synthetic:shapes\",\n")) << run.out;
  EXPECT_TRUE(contains(run.out, "    \"seed\": 7\n")) << run.out;

  EXPECT_TRUE(contains(run.out, "classes: 3 (30 rows)\n")) << run.out;
  EXPECT_EQ(line_starting(run.out, "cat:"), (std::vector<std::string>{"cat:", "15"})) << run.out;
  EXPECT_EQ(line_starting(run.out, "dog:"), (std::vector<std::string>{"dog:", "10"})) << run.out;
  EXPECT_EQ(line_starting(run.out, "bird:"), (std::vector<std::string>{"bird:", "5"})) << run.out;

  EXPECT_TRUE(contains(run.out, "features: 30 rows x 4 dims")) << run.out;
  const double row_std = std::sqrt((30.0 * 30.0 - 1) / 12);
  char expected_std[32];
  std::snprintf(expected_std, sizeof expected_std, "%.6g", row_std);
  EXPECT_EQ(line_starting(run.out, "0"), (std::vector<std::string>{"0", "14.5", expected_std, "0", "29"}))
      << run.out;
  EXPECT_EQ(line_starting(run.out, "1"),
            (std::vector<std::string>{"1", "2", "0", "2", "2", "1", "NaN,", "1", "Inf"}))
      << run.out;
  EXPECT_EQ(line_starting(run.out, "3"), (std::vector<std::string>{"3", "1.5", "0", "1.5", "1.5"}))
      << run.out;
  EXPECT_TRUE(contains(run.out, "constant dims: 3\n")) << run.out;
  EXPECT_TRUE(contains(run.out, "dims with NaN or Inf: 1\n")) << run.out;
  EXPECT_TRUE(contains(run.out, "non-finite values: 1 NaN, 1 Inf\n")) << run.out;
  EXPECT_FALSE(contains(run.out, "rows: first")) << run.out;
}

TEST_F(InspectTest, WideFeaturesShowTheFirstDimsAndASummary) {
  const std::string path = write_feature_store(40);
  const Output run = inspect(path);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_FALSE(line_starting(run.out, "7").empty()) << run.out;
  EXPECT_TRUE(line_starting(run.out, "8").empty()) << run.out;
  EXPECT_TRUE(contains(run.out, "(32 more dims)")) << run.out;
  EXPECT_TRUE(contains(run.out, "across the 40 dims:")) << run.out;
  EXPECT_TRUE(contains(run.out, "per-dim mean in [1, 19.5]")) << run.out;  // dim 2 = 1, dim 39 = 19.5
}

TEST_F(InspectTest, RowsOptionPrintsTheFirstRows) {
  const std::string path = write_feature_store(12);
  const Output run = inspect(path + " --rows 2");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "rows: first 2 of 30\n")) << run.out;
  EXPECT_TRUE(
      contains(run.out, "  row 0: label 0 (cat), index 100: 0 2 1 1.5 2 2.5 3 3.5 4 4.5 ... (12 values)\n"))
      << run.out;
  EXPECT_TRUE(contains(run.out, "  row 1: label 0 (cat), index 101: 1 2 1 ")) << run.out;
  EXPECT_FALSE(contains(run.out, "  row 2:")) << run.out;
}

TEST_F(InspectTest, AnyStoreKindIsListed) {
  const std::string path = file("model.h5");
  {
    StoreWriter writer(path, "model", {{"loss", "softmax"}, {"train", {{"features", "hog"}}}});
    const double w[6] = {1, 2, 3, 4, 5, 6};
    const float loss[3] = {2.3f, 1.1f, 0.7f};
    writer.write("/W", w, {3, 2});
    writer.write("/history/loss", loss, {3});
    writer.set_attribute("preprocessing", "standardize");
    writer.commit();
  }
  const Output run = inspect(path);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "kind:     model\n")) << run.out;
  EXPECT_TRUE(contains(run.out, "  preprocessing: standardize\n")) << run.out;
  EXPECT_EQ(line_starting(run.out, "/W"),
            (std::vector<std::string>{"/W", "float64", "[3,", "2]", "contiguous"}))
      << run.out;
  EXPECT_EQ(line_starting(run.out, "/history/loss")[1], "float32") << run.out;
  EXPECT_TRUE(contains(run.out, "      \"features\": \"hog\"\n")) << run.out;
  EXPECT_FALSE(contains(run.out, "classes:")) << run.out;
  EXPECT_FALSE(contains(run.out, "features:")) << run.out;

  const Output rows = inspect(path + " --rows 3");
  EXPECT_EQ(rows.status, 2);
  EXPECT_EQ(rows.out, "");
  EXPECT_EQ(rows.err, "featpipe: error: --rows: " + path + " has no /features to print rows of\n");
}

TEST_F(InspectTest, NonStoreFileIsBadInputWithNoOutput) {
  const std::string path = file("notes.h5");
  std::ofstream(path) << "just text\n";
  const Output run = inspect(path);
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err.rfind("featpipe: error: " + path + ": is not an HDF5 file", 0), 0u) << run.err;

  const Output missing = inspect(file("missing.h5"));
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err, "featpipe: error: " + file("missing.h5") + ": does not exist\n");
}

TEST_F(InspectTest, HelpAndUsage) {
  const Output help = inspect("--help");
  EXPECT_EQ(help.status, 0);
  EXPECT_TRUE(contains(help.out, "usage: featpipe inspect F.h5")) << help.out;
  EXPECT_TRUE(contains(help.out, "--rows")) << help.out;
  const Output none = inspect("");
  EXPECT_EQ(none.status, 2);
  EXPECT_EQ(none.err.rfind("featpipe: error: ", 0), 0u) << none.err;
}
