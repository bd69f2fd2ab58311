// featpipe eval --top K: the top-K accuracy beside the accuracy, for sets of many classes.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "blob_store.h"
#include "cli_runner.h"
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
  EXPECT_TRUE(contains(old.err, "eval --data is deprecated; name the store with --store")) << old.err;
  const CliResult both =
      run_featpipe({"eval", "--model", model, "--data", test, "--store", test}, dir.path());
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_TRUE(contains(both.err, "--data: give the store once, as --store")) << both.err;
}

}  // namespace
