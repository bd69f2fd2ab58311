// Checkpoint and resume: a run continued from a checkpoint ends with bit-identical weights and history
// to the same run uninterrupted, for every optimiser, with early stopping, and through a checkpoint file.
#include <gtest/gtest.h>

#include <filesystem>

#include "../test_fixtures.h"
#include "blobs.h"
#include "featpipe/classify/checkpoint_io.h"
#include "featpipe/core/errors.h"
#include "featpipe/data/store.h"

namespace featpipe::classify {
namespace {

struct Outcome {
  TrainResult result;
  std::vector<TrainState> checkpoints;
};

Outcome run(const TrainParams& p, const Blobs& data, const Blobs* val, int every, const TrainState* resume) {
  const MatrixSource s = data.source();
  std::optional<MatrixSource> v;
  std::optional<LabelledRows> val_rows;
  if (val) {
    v.emplace(val->source());
    val_rows = LabelledRows{&*v, val->y};
  }
  Outcome r;
  TrainObserver observer;
  observer.checkpoint_every = every;
  observer.checkpoint = [&](const TrainState& state) { r.checkpoints.push_back(state); };
  r.result = train(p, {&s, data.y}, val_rows ? &*val_rows : nullptr, 3, observer, resume);
  return r;
}

void expect_identical(const TrainResult& a, const TrainResult& b, const std::string& what) {
  EXPECT_TRUE(a.model.W == b.model.W) << what;
  EXPECT_TRUE(a.model.b == b.model.b) << what;
  EXPECT_EQ(a.history.loss, b.history.loss) << what;
  EXPECT_EQ(a.history.train_acc, b.history.train_acc) << what;
  EXPECT_EQ(a.history.val_acc, b.history.val_acc) << what;
  EXPECT_EQ(a.history.lr, b.history.lr) << what;
  EXPECT_EQ(a.history.best_epoch, b.history.best_epoch) << what;
  EXPECT_EQ(a.history.initial_loss, b.history.initial_loss) << what;
}

TrainParams params(OptimizerKind kind) {
  TrainParams p;
  p.optimizer.kind = kind;
  p.lr = kind == OptimizerKind::sgd || kind == OptimizerKind::momentum || kind == OptimizerKind::nesterov
             ? 0.05
             : 0.01;
  p.epochs = 6;
  p.batch = 32;
  p.seed = 7;
  return p;
}

TEST(Checkpoint, ResumeGivesBitIdenticalWeightsForEveryOptimizer) {
  const Blobs b = make_blobs(400, 12, 3, 2.0, 3);  // overlapping: the weights keep moving every epoch
  for (const auto& entry : optimizer_registry()) {
    const OptimizerKind kind = entry.value;
    const TrainParams p = params(kind);
    const Outcome plain = run(p, b, nullptr, 0, nullptr);
    const Outcome saving = run(p, b, nullptr, 2, nullptr);
    expect_identical(plain.result, saving.result, "checkpointing changed the run, " + to_string(kind));
    ASSERT_EQ(saving.checkpoints.size(), 2u) << "after epochs 2 and 4, not after the last";
    EXPECT_EQ(saving.checkpoints[0].epochs_done, 2);
    EXPECT_EQ(saving.checkpoints[1].epochs_done, 4);
    for (const TrainState& state : saving.checkpoints) {
      const Outcome resumed = run(p, b, nullptr, 0, &state);
      expect_identical(plain.result, resumed.result,
                       to_string(kind) + " resumed after epoch " + std::to_string(state.epochs_done));
    }
  }
}

TEST(Checkpoint, ResumeKeepsEarlyStoppingState) {
  const Blobs b = make_blobs(300, 12, 3, 3.0, 4), val = make_blobs(150, 12, 3, 3.0, 5);
  TrainParams p = params(OptimizerKind::adam);
  p.epochs = 12;
  p.early_stop = 3;
  p.lr = 0.05;
  const Outcome plain = run(p, b, &val, 1, nullptr);
  ASSERT_FALSE(plain.checkpoints.empty());
  for (const TrainState& state : plain.checkpoints) {
    const Outcome resumed = run(p, b, &val, 0, &state);
    expect_identical(plain.result, resumed.result,
                     "resumed after epoch " + std::to_string(state.epochs_done));
    EXPECT_EQ(plain.result.history.stopped_early, resumed.result.history.stopped_early);
  }
}

TEST(Checkpoint, FileRoundTripIsExact) {
  const Blobs b = make_blobs(400, 12, 3, 2.0, 3);
  const TrainParams p = params(OptimizerKind::adam);
  const Outcome plain = run(p, b, nullptr, 3, nullptr);
  ASSERT_EQ(plain.checkpoints.size(), 1u);
  testing::TempDir dir;
  const std::string path = (dir / "run.checkpoint").string();
  const nlohmann::json run_info = {{"lr", p.lr}, {"train", "blobs"}};
  save_checkpoint(path, plain.checkpoints[0], run_info);
  const CheckpointFile f = load_checkpoint(path);
  EXPECT_EQ(f.run, run_info);
  EXPECT_EQ(f.state.iteration, plain.checkpoints[0].iteration);
  const Outcome resumed = run(p, b, nullptr, 0, &f.state);
  expect_identical(plain.result, resumed.result, "resumed from the file");
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename(), "run.checkpoint") << "no temporary file is left behind";
  }
}

TEST(Checkpoint, RefusesWhatIsNotACheckpointOrDoesNotFit) {
  testing::TempDir dir;
  const std::string model = (dir / "model.h5").string();
  {
    data::StoreWriter w(model, "model", nlohmann::json::object());
    const float x = 1;
    w.write("/W", &x, {1, 1});
    w.commit();
  }
  const std::string message = testing::error_message<InputError>([&] { load_checkpoint(model); });
  EXPECT_NE(message.find("not a training checkpoint"), std::string::npos) << message;

  const Blobs b = make_blobs(400, 12, 3, 2.0, 3), wider = make_blobs(400, 13, 3, 2.0, 3);
  const TrainParams p = params(OptimizerKind::adam);
  const Outcome plain = run(p, b, nullptr, 3, nullptr);
  EXPECT_THROW(run(p, wider, nullptr, 0, &plain.checkpoints[0]), std::invalid_argument);
  TrainParams momentum = p;
  momentum.optimizer.kind = OptimizerKind::momentum;
  EXPECT_THROW(run(momentum, b, nullptr, 0, &plain.checkpoints[0]), std::invalid_argument);
}

}  // namespace
}  // namespace featpipe::classify
