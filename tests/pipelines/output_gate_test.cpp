// No output replaces an input (issue: an output path equal to an input path destroyed the input): each
// command refuses an --out that names the same file as one of its inputs, directly or through a link, with
// exit 2 before any work, and the input stays as it was; StoreWriter refuses, as a last line, any store the
// process has opened for reading. And --threads is bounded before any work.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "blob_store.h"
#include "cli_runner.h"
#include "featpipe/core/errors.h"
#include "featpipe/data/store.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::run_featpipe;
using featpipe::testing::slurp;
using featpipe::testing::TempDir;
using featpipe::testing::write_blobs;

class OutputGate : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  /// Runs the command, which must refuse --out naming `victim`, and checks that `victim` is unchanged.
  void expect_refused(const std::vector<std::string>& args, const std::string& victim,
                      const std::string& input_option) {
    const std::string before = slurp(victim);
    ASSERT_FALSE(before.empty());
    const CliResult r = run_featpipe(args, dir_.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: --out: ")) << r.err;
    EXPECT_TRUE(contains(r.err, "names the same file as " + input_option)) << r.err;
    EXPECT_EQ(slurp(victim), before) << victim << " changed";
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
      EXPECT_FALSE(contains(entry.path().filename().string(), ".tmp-")) << entry.path();
  }

  TempDir dir_;
};

TEST_F(OutputGate, TrainOutEqualToTrain) {
  const std::string train = write_blobs(dir_, "a.h5", 60, 4, "raw", 1);
  expect_refused({"train", "--train", train, "--out", train, "--epochs", "1"}, train, "--train");
}

TEST_F(OutputGate, TrainOutEqualToValThroughALink) {
  const std::string train = write_blobs(dir_, "a.h5", 60, 4, "raw", 1);
  const std::string val = write_blobs(dir_, "v.h5", 30, 4, "raw", 2);
  std::filesystem::create_symlink(val, path("link.h5"));
  expect_refused({"train", "--train", train, "--val", val, "--out", path("link.h5"), "--epochs", "1"}, val,
                 "--val");
}

TEST_F(OutputGate, SweepOutEqualToVal) {
  const std::string train = write_blobs(dir_, "a.h5", 60, 4, "raw", 1);
  const std::string val = write_blobs(dir_, "v.h5", 30, 4, "raw", 2);
  expect_refused({"sweep", "--train", train, "--val", val, "--out", val}, val, "--val");
}

TEST_F(OutputGate, VocabOutEqualToDescriptorsAndEncodeOutEqualToVocab) {
  constexpr const char* kData = "synthetic:shapes(classes=2,size=16,train=20,test=4)";
  const std::string descriptors = path("d.h5"), vocab = path("v.h5");
  ASSERT_EQ(run_featpipe({"descriptors", "--data", kData, "--descriptor", "patch(size=4,stride=4)", "--out",
                          descriptors, "--quiet"},
                         dir_.path())
                .exit_code,
            0);
  expect_refused({"vocab", "--descriptors", descriptors, "--k", "4", "--out", descriptors}, descriptors,
                 "--descriptors");
  ASSERT_EQ(run_featpipe({"vocab", "--descriptors", descriptors, "--k", "4", "--out", vocab, "--quiet"},
                         dir_.path())
                .exit_code,
            0);
  // a hard link names the same file under another name
  ASSERT_EQ(::link(vocab.c_str(), path("hard.h5").c_str()), 0);
  expect_refused({"encode", "--data", kData, "--split", "test", "--vocab", vocab, "--out", path("hard.h5")},
                 vocab, "--vocab");
}

TEST_F(OutputGate, StoreWriterRefusesAStoreTheProcessReads) {
  const std::string store = write_blobs(dir_, "a.h5", 10, 3, "raw", 1);
  const featpipe::data::StoreReader reader(store);
  try {
    featpipe::data::StoreWriter writer(store, "features", {});
    FAIL() << "StoreWriter accepted the path of an input";
  } catch (const featpipe::InputError& e) {
    EXPECT_TRUE(contains(e.what(), "names the same file as the input " + store)) << e.what();
  }
  EXPECT_NO_THROW(featpipe::data::StoreReader{store});  // still a whole store
}

TEST(ThreadsOption, AbsurdCountIsRefusedBeforeAnyWork) {
  const TempDir dir;
  const std::string out = (dir / "f.h5").string();
  const CliResult r = run_featpipe({"extract", "--data", "synthetic:shapes(classes=2,size=16,train=8,test=2)",
                                    "--split", "train", "--threads", "100000", "--out", out},
                                   dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "featpipe: error: --threads: 100000 is more than 8 per core")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
