// Sizes the user sets are checked before any work, against the image pixel limit or the memory there is,
// and buffers follow the data rather than the option: each of these ran out of memory, failed inside
// OpenCV or named an internal writer before.
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

const char* const kShapes = "synthetic:shapes(classes=4,size=16,train=200,test=80)";

TEST(SizeLimits, ImageSizesAboveThePixelLimitNameTheirOption) {
  const TempDir dir;
  const std::string out = (dir / "f.h5").string();
  const CliResult resize = run_featpipe(
      {"extract", "--data", kShapes, "--resize", "100000x100000", "--out", out, "-q"}, dir.path());
  EXPECT_EQ(resize.exit_code, 2) << resize.err;
  EXPECT_TRUE(contains(resize.err, "featpipe: error: --resize: 100000x100000 is more than the 128 Mi pixels"))
      << resize.err;
  const CliResult raw = run_featpipe(
      {"extract", "--data", kShapes, "--features", "raw(size=100000x100000)", "--out", out, "-q"},
      dir.path());
  EXPECT_EQ(raw.exit_code, 2) << raw.err;
  EXPECT_TRUE(
      contains(raw.err, "featpipe: error: --features: raw: size 100000x100000 is more than the 128 Mi"))
      << raw.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

// --block above the split's size takes the split's size; --resize with --subset resizes only the subset.
TEST(SizeLimits, BlocksAndResizesFollowTheData) {
  const TempDir dir;
  const std::string out = (dir / "f.h5").string();
  const CliResult block =
      run_featpipe({"extract", "--data", kShapes, "--block", "1000000000", "--out", out, "-q"}, dir.path());
  EXPECT_EQ(block.exit_code, 0) << block.err;
  const CliResult subset =
      run_featpipe({"extract", "--data", kShapes, "--resize", "1000x1000", "--subset", "4", "--features",
                    "huehist", "--out", (dir / "s.h5").string(), "-q"},
                   dir.path());
  EXPECT_EQ(subset.exit_code, 0) << subset.err;
}

// Each range may take up to 1000 steps, and their grid at most 10000 runs (each trains and keeps a model).
TEST(SizeLimits, SweepGridsAreBounded) {
  const TempDir dir;
  const std::string missing = (dir / "missing.h5").string();
  const CliResult r = run_featpipe({"sweep", "--train", missing, "--val", missing, "--out",
                                    (dir / "m.h5").string(), "--lr-steps", "1000", "--lambda-steps", "11"},
                                   dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "featpipe: error: --lr-steps/--lambda-steps: 1000 x 11 is a grid of 11000 runs, "
                       "more than the 10000 a sweep takes"))
      << r.err;
}

TEST(SizeLimits, GradcheckProblemsAreCheckedAgainstTheMemoryThereIs) {
  const TempDir dir;
  const CliResult r = run_featpipe(
      {"gradcheck", "--rows", "1000000000", "--dim", "16777216", "--classes", "1000"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "featpipe: error: --rows/--dim/--classes: a random problem of 1000000000 x "
                       "16777216 with 1000 classes needs "))
      << r.err;
  EXPECT_TRUE(contains(r.err, "of memory available")) << r.err;
}

TEST(SizeLimits, MaxMemoryTooSmallNamesTheOption) {
  const TempDir dir;
  const std::string store = (dir / "t.h5").string();
  ASSERT_EQ(run_featpipe({"extract", "--data", kShapes, "--out", store, "-q"}, dir.path()).exit_code, 0);
  const CliResult r = run_featpipe(
      {"train", "--train", store, "--max-memory", "1", "--out", (dir / "m.h5").string(), "-q"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "featpipe: error: --max-memory: 1 bytes holds fewer than two minibatches"))
      << r.err;
}

}  // namespace
