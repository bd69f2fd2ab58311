// featpipe eval --top K: the top-K accuracy beside the accuracy, for sets of many classes; --errors: the
// misclassified rows with the images they were made from.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "blob_store.h"
#include "cli_runner.h"
#include "featpipe/data/dataset.h"
#include "featpipe/data/feature_store.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

double value_after(const std::string& text, const std::string& label) {
  const std::size_t at = text.find(label);
  return at == std::string::npos ? -1.0 : std::stod(text.substr(at + label.size()));
}

TEST(EvalCli, TopKAccuracyIsPrintedBesideTheAccuracy) {
  const TempDir dir;
  const std::string train = featpipe::testing::write_blobs(dir, "train.h5", 300, 6, "raw", 1, 2.5f);
  const std::string test = featpipe::testing::write_blobs(dir, "test.h5", 150, 6, "raw", 2, 2.5f);
  const std::string model = (dir / "m.h5").string();
  ASSERT_EQ(
      run_featpipe({"train", "--train", train, "--out", model, "--epochs", "2", "-q"}, dir.path()).exit_code,
      0);
  const CliResult plain = run_featpipe({"eval", "--model", model, "--store", test}, dir.path());
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_FALSE(contains(plain.out, "top-")) << plain.out;
  const double accuracy = value_after(plain.out, "\naccuracy ");
  ASSERT_GT(accuracy, 0.3);
  ASSERT_LT(accuracy, 1.0);  // the classes overlap, so the second guess matters

  const CliResult two = run_featpipe({"eval", "--model", model, "--store", test, "--top", "2"}, dir.path());
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(value_after(two.out, "\naccuracy "), accuracy);
  EXPECT_GT(value_after(two.out, "top-2 accuracy "), accuracy) << two.out;
  // K at or above the classes: every label is among them
  const CliResult all = run_featpipe({"eval", "--model", model, "--store", test, "--top", "7"}, dir.path());
  EXPECT_TRUE(contains(all.out, "top-3 accuracy 1.0000")) << all.out;
  const CliResult zero = run_featpipe({"eval", "--model", model, "--store", test, "--top", "0"}, dir.path());
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_TRUE(contains(zero.err, "--top: must be in [1, ")) << zero.err;

  // --data, the option's old name (a dataset spec everywhere else), still works, with a note
  const CliResult old = run_featpipe({"eval", "--model", model, "--data", test}, dir.path());
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_EQ(old.out, plain.out);
  EXPECT_TRUE(contains(old.err, "featpipe eval: note: --data is deprecated; name the store with --store"))
      << old.err;
  const CliResult both =
      run_featpipe({"eval", "--model", model, "--data", test, "--store", test}, dir.path());
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_TRUE(contains(both.err, "--data: give the store once, as --store")) << both.err;
}

}  // namespace

namespace {

std::vector<std::vector<std::string>> read_tsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, '\t');) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

TEST(EvalCli, ErrorsListsTheMisclassifiedRowsWithTheirImages) {
  const TempDir dir;
  const std::string data = "synthetic:shapes(classes=4,train=120,test=60,size=16)";
  const auto path = [&](const std::string& name) { return (dir / name).string(); };
  for (const char* split : {"train", "test"}) {
    ASSERT_EQ(run_featpipe({"extract", "-q", "--data", data, "--split", split, "--features", "raw(size=8x8)",
                            "--out", path(std::string(split) + ".h5")},
                           dir.path())
                  .exit_code,
              0);
  }
  // One short epoch: a model that still gets a good share of the rows wrong.
  ASSERT_EQ(run_featpipe({"train", "-q", "--train", path("train.h5"), "--loss", "softmax", "--epochs", "1",
                          "--out", path("m.h5")},
                         dir.path())
                .exit_code,
            0);
  const CliResult r = run_featpipe(
      {"eval", "--model", path("m.h5"), "--store", path("test.h5"), "--errors", path("errors.tsv")},
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const double accuracy = value_after(r.out, "\naccuracy ");
  const auto rows = read_tsv(path("errors.tsv"));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"row", "image", "true", "predicted", "probability"}));
  const std::size_t wrong = rows.size() - 1;
  ASSERT_GT(wrong, 0u) << r.out;
  EXPECT_NEAR(static_cast<double>(wrong), (1 - accuracy) * 60, 0.51) << r.out;
  const featpipe::data::FeatureStoreReader store(path("test.h5"));
  const auto dataset = featpipe::data::open_dataset(data);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 5u);
    const std::size_t row = std::stoul(rows[i][0]);
    ASSERT_LT(row, store.rows());
    EXPECT_EQ(rows[i][1], dataset->image_name(featpipe::data::Source::test, store.index()[row]));
    EXPECT_EQ(rows[i][2], dataset->class_names()[store.labels()[row]]);
    EXPECT_NE(rows[i][3], rows[i][2]);
    const double p = std::stod(rows[i][4]);
    EXPECT_GT(p, 0.0);
    EXPECT_LE(p, 1.0);
  }
  for (const std::string& name : featpipe::testing::list_dir(dir.path())) {
    EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name;
  }

  // --errors is checked before the work: nothing printed, exit 2 naming it.
  for (const std::string& bad : {path("no/such/e.tsv"), std::string("/proc/e.tsv"), path("test.h5")}) {
    const CliResult refused = run_featpipe(
        {"eval", "--model", path("m.h5"), "--store", path("test.h5"), "--errors", bad}, dir.path());
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_TRUE(contains(refused.err, "featpipe: error: --errors: ")) << refused.err;
    EXPECT_TRUE(refused.out.empty()) << refused.out;
  }
}

TEST(EvalCli, ErrorsOfAStoreWithoutADatasetNameTheRowsByIndex) {
  const TempDir dir;
  const std::string train = featpipe::testing::write_blobs(dir, "train.h5", 300, 6, "raw", 1, 2.5f);
  const std::string test = featpipe::testing::write_blobs(dir, "test.h5", 150, 6, "raw", 2, 2.5f);
  const std::string model = (dir / "m.h5").string(), errors = (dir / "e.tsv").string();
  ASSERT_EQ(run_featpipe({"train", "--train", train, "--out", model, "--epochs", "2", "--loss", "svm", "-q"},
                         dir.path())
                .exit_code,
            0);
  const CliResult r =
      run_featpipe({"eval", "--model", model, "--store", test, "--errors", errors}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_tsv(errors);
  ASSERT_GT(rows.size(), 1u);
  EXPECT_EQ(rows[0].back(), "score");
  const featpipe::data::FeatureStoreReader store(test);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][1], "image " + std::to_string(store.index()[std::stoul(rows[i][0])])) << rows[i][1];
  }
}

}  // namespace
