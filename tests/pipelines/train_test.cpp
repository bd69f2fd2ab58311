// `featpipe train`, `eval`, `sweep` and `gradcheck` end to end on small synthetic feature stores: the
// printed initial loss and epochs, the model store, the exit codes of bad options and of divergence (and
// no model left behind), and eval refusing stores that do not match the model.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "blob_store.h"
#include "cli_runner.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/data/feature_store.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::CliResult;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;
using featpipe::testing::write_blobs;

using featpipe::testing::contains;

void expect_bad_input(const CliResult& r, const std::string& subject) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "featpipe: error: " + subject)) << r.err;
}

class TrainCli : public ::testing::Test {
 protected:
  void SetUp() override {
    train_ = write_blobs(dir_, "train.h5", 300, 12, "raw", 1);
    val_ = write_blobs(dir_, "val.h5", 90, 12, "raw", 2);
  }
  std::string out(const std::string& name) const { return (out_dir_ / name).string(); }

  TempDir dir_, out_dir_;
  std::string train_, val_;
};

TEST_F(TrainCli, TrainsPrintsEpochsAndWritesTheModel) {
  const CliResult r = run_featpipe({"train", "--train", train_, "--val", val_, "--loss", "svm", "--epochs",
                                    "3", "--batch", "32", "--out", out("m.h5")},
                                   dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "initial loss ")) << r.out;
  EXPECT_TRUE(contains(r.out, "(expected 2.0000 = (K - 1) delta)")) << r.out;
  for (const char* epoch : {"epoch   1 ", "epoch   2 ", "epoch   3 "})
    EXPECT_TRUE(contains(r.out, epoch)) << r.out;
  EXPECT_TRUE(contains(r.out, "val acc 1.0000")) << r.out;

  const featpipe::classify::ModelFile m = featpipe::classify::load_model(out("m.h5"));
  EXPECT_EQ(m.model.W.rows(), 12);
  EXPECT_EQ(m.model.W.cols(), 3);
  EXPECT_EQ(m.model.class_names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(m.history.loss.size(), 3u * 10);  // ceil(300 / 32) minibatches per epoch
  EXPECT_EQ(m.history.val_acc.size(), 3u);
  EXPECT_EQ(m.history.lr.size(), 3u);
  EXPECT_EQ(m.provenance["features"], "raw");
  EXPECT_EQ(m.provenance["params"]["loss"], "svm");
  EXPECT_EQ(m.provenance["train"]["provenance"]["dataset"], "synthetic:blobs");

  const CliResult e = run_featpipe({"eval", "--model", out("m.h5"), "--store", val_}, dir_.path());
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_TRUE(contains(e.out, "accuracy 1.0000")) << e.out;
  EXPECT_TRUE(contains(e.out, "confusion matrix")) << e.out;
}

TEST_F(TrainCli, SameSeedSameModel) {
  for (const char* name : {"a.h5", "b.h5"}) {
    ASSERT_EQ(run_featpipe({"train", "--train", train_, "--epochs", "2", "--dropout", "0.2", "--seed", "3",
                            "--out", out(name), "--quiet"},
                           dir_.path())
                  .exit_code,
              0);
  }
  EXPECT_EQ(featpipe::classify::load_model(out("a.h5")).model.W,
            featpipe::classify::load_model(out("b.h5")).model.W);
}

TEST_F(TrainCli, HugeLearningRateExitsThreeWithAdviceAndNoModel) {
  const CliResult r =
      run_featpipe({"train", "--train", train_, "--lr", "1e9", "--out", out("m.h5"), "--quiet"}, dir_.path());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "training diverged at epoch ")) << r.err;
  EXPECT_TRUE(contains(r.err, "lower --lr")) << r.err;
  EXPECT_TRUE(featpipe::testing::list_dir(out_dir_.path()).empty());
}

// A divergence that a lower rate would not cure names its cause: it advised "lower --lr" for all of these.
TEST_F(TrainCli, DivergenceFromTheStartNamesTheOptionThatCausedIt) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--lambda", "1e30"}, "lower --lambda (1e+30)"},
      {{"--loss", "svm", "--delta", "1e38"}, "lower --delta (1e+38)"},
      {{"--init-scale", "1e30"}, "lower --init-scale (1e+30)"},
      {{"--loss", "svm", "--lr", "1e9"}, "lower --lr ("}};
  for (const auto& [options, advice] : cases) {
    std::vector<std::string> args = {"train", "--train", train_, "--out", out("m.h5"), "--quiet"};
    args.insert(args.end(), options.begin(), options.end());
    const CliResult r = run_featpipe(args, dir_.path());
    EXPECT_EQ(r.exit_code, 3) << options[0] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "training diverged at epoch ")) << r.err;
    EXPECT_TRUE(contains(r.err, advice)) << options[0] << ": " << r.err;
    EXPECT_TRUE(featpipe::testing::list_dir(out_dir_.path()).empty());
  }
}

TEST_F(TrainCli, BadOptionsNameTheOption) {
  const auto train = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"train", "--train", train_, "--out", out("m.h5"), "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_featpipe(args, dir_.path());
  };
  expect_bad_input(train({"--loss", "hinge"}), "--loss");
  expect_bad_input(train({"--optimizer", "lbfgs"}), "--optimizer");
  expect_bad_input(train({"--reg", "l3"}), "--reg");
  expect_bad_input(train({"--schedule", "linear"}), "--schedule");
  // a final rate above the first would ramp the rate up (1000x here) instead of annealing it
  expect_bad_input(train({"--schedule", "cosine", "--min-lr", "1", "--lr", "0.001"}),
                   "--min-lr: 1 is above lr 0.001");
  expect_bad_input(train({"--batch", "0"}), "--batch");
  expect_bad_input(train({"--lr", "-1"}), "--lr");
  expect_bad_input(train({"--dropout", "1"}), "--dropout");
  expect_bad_input(train({"--lambda", "-1"}), "--lambda");
  expect_bad_input(train({"--momentum", "1.5"}), "--momentum");
  expect_bad_input(train({"--max-memory", "lots"}), "--max-memory");
  expect_bad_input(train({"--early-stop", "2"}), "--early-stop");
  expect_bad_input(run_featpipe({"train", "--out", out("m.h5")}, dir_.path()), "--train");
  expect_bad_input(
      run_featpipe({"train", "--train", (dir_ / "missing.h5").string(), "--out", out("m.h5")}, dir_.path()),
      (dir_ / "missing.h5").string());
  EXPECT_TRUE(featpipe::testing::list_dir(out_dir_.path()).empty());
}

TEST_F(TrainCli, StreamsWithMaxMemory) {
  const CliResult r = run_featpipe({"train", "--train", train_, "--val", val_, "--max-memory", "8K",
                                    "--batch", "20", "--epochs", "3", "--out", out("m.h5")},
                                   dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "epoch   3 ")) << r.out;
}

TEST_F(TrainCli, NonFiniteFeaturesAreRefusedNamingTheFileAndRow) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  const std::string bad_train = write_blobs(dir_, "nan.h5", 300, 12, "raw", 1, 0.5f, 17, nan);
  CliResult r = run_featpipe({"train", "--train", bad_train, "--out", out("m.h5")}, dir_.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "training set " + bad_train + ": row 17, feature 6 is NaN")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out("m.h5")));

  const std::string bad_val = write_blobs(dir_, "inf.h5", 90, 12, "raw", 2, 0.5f, 89, -inf);
  r = run_featpipe({"train", "--train", train_, "--val", bad_val, "--out", out("m.h5")}, dir_.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "validation set " + bad_val + ": row 89, feature 6 is infinite")) << r.err;

  r = run_featpipe({"sweep", "--train", bad_train, "--val", val_, "--out", out("m.h5")}, dir_.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, bad_train + ": row 17, feature 6 is NaN")) << r.err;

  ASSERT_EQ(run_featpipe({"train", "--train", train_, "--out", out("m.h5"), "--epochs", "1"}, dir_.path())
                .exit_code,
            0);
  r = run_featpipe({"eval", "--model", out("m.h5"), "--store", bad_val}, dir_.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, bad_val + ": row 89, feature 6 is infinite")) << r.err;
}

TEST_F(TrainCli, EvalRefusesOtherFeaturesNamingBoth) {
  ASSERT_EQ(run_featpipe({"train", "--train", train_, "--epochs", "1", "--out", out("m.h5"), "--quiet"},
                         dir_.path())
                .exit_code,
            0);
  const std::string hog = write_blobs(dir_, "hog.h5", 30, 12, "hog(cell=4)", 3);
  CliResult r = run_featpipe({"eval", "--model", out("m.h5"), "--store", hog}, dir_.path());
  expect_bad_input(r, hog);
  EXPECT_TRUE(contains(r.err, "'hog(cell=4)'") && contains(r.err, "'raw'")) << r.err;
  const std::string wide = write_blobs(dir_, "wide.h5", 30, 13, "raw", 4);
  r = run_featpipe({"eval", "--model", out("m.h5"), "--store", wide}, dir_.path());
  expect_bad_input(r, wide);
  EXPECT_TRUE(contains(r.err, "13") && contains(r.err, "12")) << r.err;
  r = run_featpipe({"eval", "--model", train_, "--store", val_}, dir_.path());
  expect_bad_input(r, train_);
}

TEST_F(TrainCli, SweepRanksTheGridAndWritesTheBest) {
  const CliResult r = run_featpipe(
      {"sweep", "--train", train_, "--val", val_, "--lr-range", "1e-4:1e-2", "--lambda-range", "1e-6:1e-2",
       "--lr-steps", "3", "--lambda-steps", "2", "--epochs", "2", "--out", out("best.h5")},
      dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_TRUE(contains(line, "val acc")) << r.out;
  double previous = 2;
  int rows = 0;
  while (std::getline(lines, line) && !contains(line, "wrote")) {
    std::istringstream fields(line);
    int rank;
    double lr, lambda, val;
    fields >> rank >> lr >> lambda >> val;
    EXPECT_LE(val, previous) << r.out;
    previous = val;
    ++rows;
  }
  EXPECT_EQ(rows, 6) << r.out;
  const featpipe::classify::ModelFile m = featpipe::classify::load_model(out("best.h5"));
  EXPECT_EQ(m.provenance["command"], "sweep");
  EXPECT_EQ(m.provenance["sweep"]["runs"].size(), 6u);
  expect_bad_input(
      run_featpipe({"sweep", "--train", train_, "--val", val_, "--lr-range", "0:1", "--out", out("x.h5")},
                   dir_.path()),
      "--lr-range");
}

TEST(GradcheckCli, PrintsEveryPairAndPasses) {
  TempDir dir;
  const CliResult r = run_featpipe({"gradcheck"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int ok = 0;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    ok += line.size() > 2 && line.substr(line.size() - 2) == "ok";
  EXPECT_EQ(ok, 16) << r.out;
  EXPECT_TRUE(contains(r.out, "all 16 pairs below 1e-06")) << r.out;
}

}  // namespace
