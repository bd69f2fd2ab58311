// SIGINT and SIGKILL in the middle of `featpipe train` and `featpipe extract` (and SIGTERM in `vocab`):
// after either, no finished-looking output (no model, no store; SIGINT / SIGTERM also leave no temporary
// file and exit 130 / 143 with advice); a run with --resume from the last checkpoint ends with weights
// bit-identical to an uninterrupted run with the same seed, and an extract run again gives the whole store.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include "blob_store.h"
#include "cli_runner.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/data/feature_store.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::BackgroundRun;
using featpipe::testing::CliResult;
using featpipe::testing::list_dir;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;
namespace fs = std::filesystem;

using featpipe::testing::contains;

/// Polls until path exists (true) or the run has ended (false).
bool wait_for(const fs::path& path, BackgroundRun& run) {
  while (!fs::exists(path)) {
    if (!run.running()) return fs::exists(path);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

/// A file of dir whose name starts with prefix, or "".
std::string find_file(const fs::path& dir, const std::string& prefix) {
  for (const std::string& name : list_dir(dir))
    if (name.rfind(prefix, 0) == 0) return name;
  return "";
}

class TrainInterrupt : public ::testing::Test {
 protected:
  void SetUp() override {
    // overlapping blobs: the weights keep changing every epoch
    train_ = featpipe::testing::write_blobs(data_, "train.h5", 20000, 128, "raw", 11, 3.0f);
    reference_ = run_featpipe(args((data_ / "reference.h5").string()), data_.path());
    ASSERT_EQ(reference_.exit_code, 0) << reference_.err;
  }
  std::vector<std::string> args(const std::string& out, std::vector<std::string> extra = {},
                                const std::string& epochs = "100") const {
    std::vector<std::string> a = {"train", "--train", train_,   "--out", out,         "--epochs", epochs,
                                  "--lr",  "0.003",   "--seed", "5",     "--threads", "2"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  /// Starts a checkpointing run, sends sig once the first checkpoint exists, and checks what is left.
  void interrupt_then_resume(int sig) {
    const std::string model = (out_ / "model.h5").string(), checkpoint = model + ".checkpoint";
    BackgroundRun run(args(model, {"--checkpoint-every", "1"}), data_.path());
    ASSERT_TRUE(wait_for(checkpoint, run)) << "the run ended before its first checkpoint";
    run.signal(sig);
    const CliResult r = run.finish();
    EXPECT_EQ(r.exit_code, 128 + sig) << r.err;
    EXPECT_FALSE(fs::exists(model)) << "an interrupted run left a model";
    EXPECT_TRUE(fs::exists(checkpoint));
    if (sig == SIGINT) {
      EXPECT_TRUE(contains(r.err, "interrupted by SIGINT")) << r.err;
      EXPECT_TRUE(contains(r.err, "--resume")) << r.err;
      EXPECT_EQ(list_dir(out_.path()), std::vector<std::string>{"model.h5.checkpoint"}) << "a temporary file";
    }

    const CliResult resumed =
        run_featpipe(args(model, {"--checkpoint-every", "1", "--resume"}), data_.path());
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_TRUE(contains(resumed.out, "resuming from " + checkpoint + " after epoch")) << resumed.out;
    EXPECT_FALSE(fs::exists(checkpoint)) << "the model supersedes the checkpoint";
    const auto a = featpipe::classify::load_model((data_ / "reference.h5").string());
    const auto b = featpipe::classify::load_model(model);
    EXPECT_TRUE(a.model.W == b.model.W) << "resumed weights differ from the uninterrupted run's";
    EXPECT_TRUE(a.model.b == b.model.b);
    EXPECT_EQ(a.history.loss, b.history.loss);
    EXPECT_EQ(a.history.lr, b.history.lr);
  }

  TempDir data_, out_;
  std::string train_;
  CliResult reference_;
};

TEST_F(TrainInterrupt, SigintThenResumeIsBitIdentical) { interrupt_then_resume(SIGINT); }

TEST_F(TrainInterrupt, SigkillThenResumeIsBitIdentical) { interrupt_then_resume(SIGKILL); }

TEST_F(TrainInterrupt, SigtermExits143AndACheckpointOfAnotherRunIsRefused) {
  const std::string model = (out_ / "model.h5").string();
  BackgroundRun run(args(model, {"--checkpoint-every", "1"}), data_.path());
  ASSERT_TRUE(wait_for(model + ".checkpoint", run));
  run.signal(SIGTERM);
  const CliResult r = run.finish();
  EXPECT_EQ(r.exit_code, 143) << r.err;
  EXPECT_TRUE(contains(r.err, "interrupted by SIGTERM")) << r.err;
  EXPECT_FALSE(fs::exists(model));

  const CliResult other = run_featpipe(args(model, {"--resume", "--batch", "128"}), data_.path());
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_TRUE(contains(other.err, "was written by a different run (params/batch: 256 then, 128 now)"))
      << other.err;
  EXPECT_FALSE(fs::exists(model));
}

TEST_F(TrainInterrupt, SigintWithoutCheckpointsAdvisesThem) {
  const std::string model = (out_ / "model.h5").string();
  BackgroundRun run(args(model, {}, "100000"), data_.path());  // runs until interrupted
  // the first epoch's line: the run is training, however slow the machine (or AddressSanitizer) makes it
  ASSERT_TRUE(run.wait_for_output("epoch   1 ")) << "the run ended before its first epoch";
  run.signal(SIGINT);
  const CliResult r = run.finish();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_TRUE(contains(r.err, "--checkpoint-every")) << r.err;
  EXPECT_TRUE(list_dir(out_.path()).empty());
}

class ExtractInterrupt : public ::testing::Test {
 protected:
  std::vector<std::string> args(const std::string& out) const {
    // HOG of 10000 Fashion-MNIST images enlarged to 84x84: a few seconds of work to interrupt
    return {"extract",  "--data", "fashion-mnist", "--split", "test",    "--features", "hog",
            "--resize", "84x84",  "--out",         out,       "--quiet", "--threads",  "2"};
  }
  /// Starts an extract, sends sig once its temporary store exists, and checks nothing finished is left.
  CliResult interrupt(int sig) {
    const std::string out = (out_ / "hog.h5").string();
    BackgroundRun run(args(out), data_.path());
    const std::string temp = out + ".tmp-" + std::to_string(run.pid());
    EXPECT_TRUE(wait_for(temp, run)) << "the extract ended before it began writing";
    run.signal(sig);
    const CliResult r = run.finish();
    EXPECT_EQ(r.exit_code, 128 + sig) << r.err;
    EXPECT_FALSE(fs::exists(out)) << "an interrupted extract left a finished-looking store";
    return r;
  }

  TempDir data_, out_;
};

TEST_F(ExtractInterrupt, SigintAndSigkillLeaveNoStoreAndARerunCompletes) {
  const CliResult sigint = interrupt(SIGINT);
  EXPECT_TRUE(contains(sigint.err, "interrupted by SIGINT; nothing was written; run the same command again"))
      << sigint.err;
  EXPECT_TRUE(list_dir(out_.path()).empty()) << "SIGINT left a temporary file";
  interrupt(SIGKILL);  // may leave its temporary file, never hog.h5

  const std::string out = (out_ / "hog.h5").string();
  const CliResult rerun = run_featpipe(args(out), data_.path());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  const featpipe::data::FeatureStoreReader store(out);
  EXPECT_EQ(store.rows(), 10000u);
  const CliResult inspect = run_featpipe({"inspect", out}, data_.path());
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
}

// A closed terminal (SIGHUP) is an interruption like SIGTERM; a SIGKILL leaves its temporary store, which
// the next run writing the same store removes, and never the temporary of a process still at work.
TEST_F(ExtractInterrupt, SighupExits129AndARerunRemovesStaleTemporaries) {
  const CliResult sighup = interrupt(SIGHUP);
  EXPECT_TRUE(contains(sighup.err, "interrupted by SIGHUP; nothing was written")) << sighup.err;
  EXPECT_TRUE(list_dir(out_.path()).empty()) << "SIGHUP left a temporary file";

  interrupt(SIGKILL);
  const std::string killed = find_file(out_.path(), "hog.h5.tmp-");
  ASSERT_FALSE(killed.empty()) << "SIGKILL left no temporary file to remove";
  // a temporary whose process is alive (this one): another run is writing it
  const std::string live = "hog.h5.tmp-" + std::to_string(::getpid());
  std::ofstream(out_ / live) << "in progress";

  const std::string out = (out_ / "hog.h5").string();
  const CliResult rerun = run_featpipe(args(out), data_.path());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  std::vector<std::string> left = list_dir(out_.path());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"hog.h5", live})) << "the stale " << killed << " is left";
}

TEST(VocabInterrupt, SigtermStopsMiniBatchKMeansAndWritesNothing) {
  TempDir dir;
  const std::string descriptors = (dir / "D.h5").string(), vocab = (dir / "V.h5").string();
  const CliResult d =
      run_featpipe({"descriptors", "--data", "fashion-mnist", "--split", "test", "--descriptor",
                    "dsift(step=4,size=4)", "--sample", "5000", "--out", descriptors, "--quiet"},
                   dir.path());
  ASSERT_EQ(d.exit_code, 0) << d.err;
  BackgroundRun run({"vocab", "--descriptors", descriptors, "--k", "64", "--minibatch", "--iterations",
                     "100000000", "--out", vocab, "--quiet"},
                    dir.path());
  // once SIGTERM is caught, the run stops at its next safe point with nothing written, whether it is
  // reading the descriptors or clustering them (100000000 iterations: it cannot finish first)
  ASSERT_TRUE(run.wait_for_handler(SIGTERM)) << "the run ended before it caught SIGTERM";
  run.signal(SIGTERM);
  const CliResult r = run.finish();
  EXPECT_EQ(r.exit_code, 143) << r.err;
  EXPECT_TRUE(contains(r.err, "interrupted by SIGTERM; nothing was written")) << r.err;
  EXPECT_EQ(list_dir(dir.path()), std::vector<std::string>{"D.h5"});
}

}  // namespace
