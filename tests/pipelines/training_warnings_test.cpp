// train and sweep print the guard rails a run trips (classify/guard_rails.h) on stderr as
// "featpipe COMMAND: warning: ..." and record them in the model's provenance; sweep ranks ties by a
// documented, deterministic order and marks diverged runs in its table.
#include <gtest/gtest.h>

#include "blob_store.h"
#include "cli_runner.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/pipelines/training.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;
using featpipe::testing::write_blobs;

/// Whether the model's provenance "warnings" holds one that contains needle.
bool recorded(const std::string& model, const std::string& needle) {
  const auto m = featpipe::classify::load_model(model);
  for (const auto& w : m.provenance.at("warnings"))
    if (contains(w.get<std::string>(), needle)) return true;
  return false;
}

class TrainingWarnings : public ::testing::Test {
 protected:
  void SetUp() override {
    train_ = write_blobs(dir_, "train.h5", 300, 12, "raw", 1);
    val_ = write_blobs(dir_, "val.h5", 90, 12, "raw", 2);
  }
  std::string out(const std::string& name) const { return (dir_ / name).string(); }
  TempDir dir_;
  std::string train_, val_;
};

TEST_F(TrainingWarnings, TrainWithFewUpdatesWarnsAndRecordsIt) {
  const CliResult r = run_featpipe(
      {"train", "--train", train_, "--val", val_, "--epochs", "2", "--batch", "256", "--out", out("m.h5")},
      dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string few = "only 4 SGD updates (2 epochs x 2 batches)";
  EXPECT_TRUE(contains(r.err, "featpipe train: warning: " + few)) << r.err;
  EXPECT_TRUE(contains(r.err, "raise --epochs or lower --batch")) << r.err;
  EXPECT_TRUE(contains(r.err, "featpipe train: warning: the validation set has 90 rows")) << r.err;
  EXPECT_TRUE(recorded(out("m.h5"), few));
  EXPECT_TRUE(recorded(out("m.h5"), "90 rows"));
}

TEST_F(TrainingWarnings, TrainWithEnoughUpdatesAndNoValidationIsQuiet) {
  // ceil(300 / 16) = 19 batches x 16 epochs = 304 updates
  const CliResult r = run_featpipe(
      {"train", "--train", train_, "--epochs", "16", "--batch", "16", "--out", out("m.h5")}, dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "warning")) << r.err;
  const auto m = featpipe::classify::load_model(out("m.h5"));
  ASSERT_TRUE(m.provenance.contains("warnings"));
  EXPECT_TRUE(m.provenance["warnings"].empty()) << m.provenance["warnings"].dump();
}

TEST_F(TrainingWarnings, SweepBreaksTiesBySmallerLrThenLargerLambdaAndFlagsTheEdge) {
  // separable blobs: every run of this grid reaches the same accuracy
  const CliResult r =
      run_featpipe({"sweep", "--train", train_, "--val", val_, "--lr-range", "1e-3:1e-2", "--lambda-range",
                    "1e-6:1e-4", "--steps", "2", "--epochs", "3", "--batch", "16", "--out", out("best.h5")},
                   dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto m = featpipe::classify::load_model(out("best.h5"));
  const auto& runs = m.provenance["sweep"]["runs"];
  ASSERT_EQ(runs.size(), 4u);
  for (std::size_t i = 1; i < runs.size(); ++i) {
    const auto &a = runs[i - 1], &b = runs[i];
    ASSERT_GE(a["val_acc"].get<double>(), b["val_acc"].get<double>()) << runs.dump();
    if (a["val_acc"] == b["val_acc"]) {
      const bool ordered = a["lr"].get<double>() < b["lr"].get<double>() ||
                           (a["lr"] == b["lr"] && a["lambda"].get<double>() > b["lambda"].get<double>());
      EXPECT_TRUE(ordered) << runs.dump();
    }
  }
  ASSERT_EQ(runs[0]["val_acc"], runs[3]["val_acc"]) << "the grid was meant to tie: " << runs.dump();
  EXPECT_DOUBLE_EQ(runs[0]["lr"].get<double>(), 1e-3);
  EXPECT_DOUBLE_EQ(runs[0]["lambda"].get<double>(), 1e-4);
  EXPECT_TRUE(
      contains(r.err, "featpipe sweep: warning: the best run's lr 0.001 is at the low end of --lr-range"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "widen --lr-range")) << r.err;
  EXPECT_TRUE(recorded(out("best.h5"), "high end of --lambda-range"));
  EXPECT_TRUE(recorded(out("best.h5"), "90 rows"));
}

TEST_F(TrainingWarnings, SweepMarksDivergedRunsInTheTable) {
  const CliResult r = run_featpipe({"sweep", "--train", train_, "--val", val_, "--loss", "softmax",
                                    "--lr-range", "1e-2:1e4", "--lambda-range", "1e-4:1e-4", "--lr-steps",
                                    "4", "--lambda-steps", "1", "--epochs", "2", "--out", out("best.h5")},
                                   dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "diverged") || contains(r.out, "failed")) << r.out;
  EXPECT_TRUE(contains(r.err, "runs diverged or failed")) << r.err;
  EXPECT_TRUE(recorded(out("best.h5"), "runs diverged or failed"));
}

TEST(SweepOrder, HelpStatesTheTieBreak) {
  TempDir dir;
  const CliResult r = run_featpipe({"sweep", "--help"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string help;  // the option descriptions wrap: join the lines
  for (char c : r.out) help += c == '\n' ? ' ' : c;
  std::string joined;
  for (char c : help) {
    if (c != ' ' || joined.empty() || joined.back() != ' ') joined += c;
  }
  EXPECT_TRUE(contains(joined, "among equal accuracies the smaller lr, then the larger lambda, ranks first"))
      << r.out;
}

featpipe::pipelines::SweepRun trained_run(double lr, double lambda, double val_acc) {
  featpipe::pipelines::SweepRun r;
  r.lr = lr;
  r.lambda = lambda;
  r.trained = true;
  r.val_acc = val_acc;
  return r;
}

TEST(SweepOrder, AccuracyThenSmallerLrThenLargerLambda) {
  using featpipe::pipelines::sweep_order;
  const auto better = trained_run(1, 1, 0.9), worse = trained_run(1e-3, 1, 0.8);
  EXPECT_TRUE(sweep_order(better, worse));
  EXPECT_FALSE(sweep_order(worse, better));
  const auto small_lr = trained_run(1e-3, 1e-6, 0.9);
  EXPECT_TRUE(sweep_order(small_lr, better));
  const auto more_reg = trained_run(1e-3, 1e-2, 0.9);
  EXPECT_TRUE(sweep_order(more_reg, small_lr));
  EXPECT_FALSE(sweep_order(more_reg, more_reg));
  featpipe::pipelines::SweepRun failed;  // val_acc -1
  failed.lr = 1e-4;
  EXPECT_TRUE(sweep_order(worse, failed));
}

}  // namespace
