// A write that fails half-way (a full disk, a file size limit) in every command that writes a store or a
// report: exit 3 with the system's reason, no crash (HDF5 closed every id of the failed file itself, in
// order), and nothing left behind, neither the output nor a temporary file or folder. The limit on file
// sizes (RLIMIT_FSIZE) gives the same failed write(2) as a full disk on any machine.
#include <gtest/gtest.h>

#include <algorithm>

#include "cli_runner.h"
#include "test_fixtures.h"

namespace {

namespace fs = std::filesystem;
using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::list_dir;
using featpipe::testing::run_featpipe;
using featpipe::testing::run_featpipe_with_file_limit;
using featpipe::testing::TempDir;

constexpr const char* kData = "synthetic:shapes(classes=3,train=150,test=30,size=16)";
// Small enough that every output below outgrows it, large enough for the messages on stdout and stderr.
constexpr int kLimitKib = 8;

class WriteErrors : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  void run_ok(const std::vector<std::string>& args) {
    const CliResult r = run_featpipe(args, dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  /// Runs args under the limit and checks exit 3, the reason and the message's subject, no crash, and that
  /// the folder holds what it held before.
  void expect_clean_failure(const std::vector<std::string>& args, const std::string& subject) {
    std::vector<std::string> before = list_dir(dir_.path());
    const CliResult r = run_featpipe_with_file_limit(args, dir_.path(), kLimitKib);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: " + subject)) << r.err;
    EXPECT_TRUE(contains(r.err, "File too large")) << r.err;
    EXPECT_FALSE(contains(r.err, "HDF5-DIAG")) << r.err;
    std::vector<std::string> after = list_dir(dir_.path());
    std::sort(before.begin(), before.end());
    std::sort(after.begin(), after.end());
    EXPECT_EQ(after, before) << "a failed write left a file";
  }

  TempDir dir_;
};

TEST_F(WriteErrors, ExtractEndsWithExit3AndLeavesNothing) {
  expect_clean_failure({"extract", "--quiet", "--data", kData, "--features", "raw", "--out", path("f.h5")},
                       path("f.h5"));
}

TEST_F(WriteErrors, DescriptorsEndsWithExit3AndLeavesNothing) {
  expect_clean_failure({"descriptors", "--quiet", "--data", kData, "--descriptor", "dsift(step=4,size=4)",
                        "--sample", "2000", "--out", path("d.h5")},
                       path("d.h5"));
}

TEST_F(WriteErrors, VocabEndsWithExit3AndLeavesNothing) {
  run_ok({"descriptors", "--quiet", "--data", kData, "--descriptor", "dsift(step=4,size=4)", "--sample",
          "2000", "--out", path("d.h5")});
  expect_clean_failure(
      {"vocab", "--quiet", "--descriptors", path("d.h5"), "--k", "64", "--out", path("v.h5")}, path("v.h5"));
}

TEST_F(WriteErrors, TrainCheckpointEndsWithExit3AndLeavesNothing) {
  run_ok({"extract", "--quiet", "--data", kData, "--features", "raw", "--out", path("f.h5")});
  expect_clean_failure({"train", "--quiet", "--train", path("f.h5"), "--epochs", "3", "--checkpoint-every",
                        "1", "--out", path("m.h5")},
                       path("m.h5.checkpoint"));
}

TEST_F(WriteErrors, CompareReportEndsWithExit3NamingTheFileAndLeavesNothing) {
  run_ok({"extract", "--quiet", "--data", kData, "--features", "raw", "--out", path("f.h5")});
  run_ok({"train", "--quiet", "--train", path("f.h5"), "--epochs", "2", "--out", path("m.h5")});
  // the training store as the test store keeps the test small; --allow-overlap accepts it
  const std::vector<std::string> args = {"compare", path("m.h5"),   "--test",         path("f.h5"),
                                         "--out",   path("report"), "--allow-overlap"};
  expect_clean_failure(args, path("report"));
  const CliResult r = run_featpipe_with_file_limit(args, dir_.path(), kLimitKib);
  EXPECT_TRUE(contains(r.err, "cannot write ")) << r.err;
  EXPECT_FALSE(contains(r.err, "Traceback")) << r.err;
  EXPECT_FALSE(contains(r.err, "install")) << "a failed write is not a missing package: " << r.err;
}

}  // namespace
