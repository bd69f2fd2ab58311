// Inputs that are not files, and counts that are not counts: a FIFO given as a store or an image blocked
// featpipe forever, and an unsigned option took "-1" as the largest value (`inspect --rows -1` printed every
// row, `descriptors --sample -1` kept every descriptor). Both are refused with exit 2 naming the input.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "blob_store.h"
#include "cli_runner.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

TEST(InputGate, AFifoIsRefusedAsAStoreAndAsAnImage) {
  const TempDir dir;
  const std::string fifo = (dir / "p.png").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string model = (dir / "m.h5").string();
  const std::string train = (dir / "t.h5").string();
  ASSERT_EQ(run_featpipe({"extract", "--data", "synthetic:shapes(classes=2,size=16,train=20,test=2)",
                          "--split", "train", "--features", "raw", "--out", train, "--quiet"},
                         dir.path())
                .exit_code,
            0);
  ASSERT_EQ(run_featpipe({"train", "--train", train, "--epochs", "1", "--out", model, "--quiet"}, dir.path())
                .exit_code,
            0);
  for (const std::vector<std::string>& args : {std::vector<std::string>{"inspect", fifo},
                                               {"eval", "--model", model, "--store", fifo},
                                               {"predict", "--model", model, fifo}}) {
    const CliResult r = run_featpipe(args, dir.path());
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    // predict reports an unreadable image and goes on with the others; the other commands stop at it
    const std::string says = args[0] == "predict" ? "featpipe predict: cannot read " : "featpipe: error: ";
    EXPECT_TRUE(contains(r.err, says + fifo + ": is a FIFO (named pipe), not a file"))
        << args[0] << ": " << r.err;
  }
}

TEST(InputGate, NegativeValuesOfCountsAreRefused) {
  const TempDir dir;
  const std::string store = featpipe::testing::write_blobs(dir, "t.h5", 10, 3, "raw", 1);
  const CliResult rows = run_featpipe({"inspect", store, "--rows", "-1"}, dir.path());
  EXPECT_EQ(rows.exit_code, 2) << rows.err;
  EXPECT_TRUE(contains(rows.err, "featpipe: error: --rows: must be >= 0 (rows), got '-1'")) << rows.err;
  const CliResult sample =
      run_featpipe({"descriptors", "--data", "synthetic:shapes(classes=2,size=16,train=4,test=2)",
                    "--descriptor", "patch(size=4)", "--sample", "-1", "--out", (dir / "d.h5").string()},
                   dir.path());
  EXPECT_EQ(sample.exit_code, 2) << sample.err;
  EXPECT_TRUE(contains(sample.err, "featpipe: error: --sample: must be >= 1 (descriptors), got '-1'"))
      << sample.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "d.h5"));
}

// vocab --tolerance: -1 and NaN fell back to the method's default; a given value must be a tolerance.
TEST(InputGate, VocabToleranceMustBeANumberAtLeastZero) {
  const TempDir dir;
  const std::string descriptors = (dir / "d.h5").string();
  ASSERT_EQ(run_featpipe({"descriptors", "--data", "synthetic:shapes(classes=2,size=16,train=8,test=2)",
                          "--descriptor", "patch(size=4,stride=4)", "--out", descriptors, "--quiet"},
                         dir.path())
                .exit_code,
            0);
  for (const char* value : {"nan", "-1", "inf"}) {
    const CliResult r = run_featpipe({"vocab", "--descriptors", descriptors, "--k", "2", "--tolerance", value,
                                      "--out", (dir / "v.h5").string()},
                                     dir.path());
    EXPECT_EQ(r.exit_code, 2) << value << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: --tolerance: must be ")) << r.err;
    EXPECT_TRUE(contains(r.err, ">= 0, got '" + std::string(value) + "'")) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "v.h5"));
}

// An empty test or validation store: eval reported "accuracy 0.0000" with exit 0, and sweep exited 3 where
// train exits 2.
TEST(InputGate, EmptyStoresAreRefusedWhereRowsAreNeeded) {
  const TempDir dir;
  const std::string train = featpipe::testing::write_blobs(dir, "t.h5", 40, 3, "raw", 1);
  const std::string empty = featpipe::testing::write_blobs(dir, "e.h5", 0, 3, "raw", 2);
  const std::string model = (dir / "m.h5").string();
  ASSERT_EQ(run_featpipe({"train", "--train", train, "--epochs", "1", "--out", model, "--quiet"}, dir.path())
                .exit_code,
            0);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"eval", "--model", model, "--store", empty},
        {"train", "--train", train, "--val", empty, "--epochs", "1", "--out", (dir / "m2.h5").string()},
        {"sweep", "--train", train, "--val", empty, "--out", (dir / "s.h5").string()}}) {
    const CliResult r = run_featpipe(args, dir.path());
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: " + empty + ": holds no rows")) << args[0] << ": " << r.err;
  }
}

}  // namespace

namespace {

// A descriptor store holds /features, /labels and /index too, a row per local descriptor: train and eval
// accepted it as a feature store.
TEST(InputGate, ADescriptorStoreIsNotTrainingOrTestData) {
  const TempDir dir;
  const std::string descriptors = (dir / "d.h5").string(), model = (dir / "m.h5").string();
  const std::string data = "synthetic:shapes(classes=2,size=16,train=8,test=4)";
  ASSERT_EQ(run_featpipe({"descriptors", "--data", data, "--descriptor", "patch(size=4,stride=4)", "--out",
                          descriptors, "-q"},
                         dir.path())
                .exit_code,
            0);
  const CliResult train = run_featpipe({"train", "--train", descriptors, "--out", model, "-q"}, dir.path());
  EXPECT_EQ(train.exit_code, 2) << train.err;
  EXPECT_TRUE(contains(train.err, descriptors + ": is a store of kind 'descriptors'")) << train.err;
  EXPECT_FALSE(std::filesystem::exists(model));
  const std::string features = (dir / "f.h5").string();
  ASSERT_EQ(run_featpipe({"extract", "--data", data, "--out", features, "-q"}, dir.path()).exit_code, 0);
  ASSERT_EQ(run_featpipe({"train", "--train", features, "--out", model, "-q", "--epochs", "1"}, dir.path())
                .exit_code,
            0);
  const CliResult eval = run_featpipe({"eval", "--model", model, "--store", descriptors}, dir.path());
  EXPECT_EQ(eval.exit_code, 2) << eval.err;
  EXPECT_TRUE(contains(eval.err, descriptors + ": is a store of kind 'descriptors'")) << eval.err;
  EXPECT_EQ(run_featpipe({"inspect", descriptors}, dir.path()).exit_code, 0);
}

}  // namespace
