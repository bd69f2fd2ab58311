// The data-parallel SGD: ranks sharing each minibatch's blocks (tests/thread_job.h, N ranks as N threads) end
// with the same bits as one process, on every rank, for any rank count: both kernel layouts, float and byte
// rows, dropout, streamed chunks, partial minibatches of fewer blocks than ranks, and a checkpoint of one
// job resumed by a job of another size. The bytes a rank sends per step are the ones step_bytes_sent says.
#include <gtest/gtest.h>
#include <omp.h>

#include <cstring>
#include <string>

#include "blobs.h"
#include "featpipe/classify/trainer.h"
#include "featpipe/core/errors.h"
#include "thread_job.h"

namespace featpipe::classify {
namespace {

using ThreadRank = testing::ThreadJob::Rank;
constexpr auto on_ranks = [](int size, auto fn) { return testing::ThreadJob::on_ranks(size, fn); };

template <typename T>
bool same_bits(const T& a, const T& b) {
  return a.size() == b.size() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size() * sizeof(*a.data())) == 0);
}

void expect_same_run(const TrainResult& a, const TrainResult& b, const std::string& what) {
  EXPECT_TRUE(same_bits(a.model.W, b.model.W)) << what;
  EXPECT_TRUE(same_bits(a.model.b, b.model.b)) << what;
  EXPECT_TRUE(same_bits(a.history.loss, b.history.loss)) << what;
  EXPECT_EQ(a.history.train_acc, b.history.train_acc) << what;
  EXPECT_EQ(a.history.val_acc, b.history.val_acc) << what;
  EXPECT_EQ(a.history.initial_loss, b.history.initial_loss) << what;
  EXPECT_EQ(a.history.best_epoch, b.history.best_epoch) << what;
  EXPECT_EQ(a.byte_divisor, b.byte_divisor) << what;
}

struct Case {
  std::string name;
  TrainParams p;
  int classes = 3;
  bool pixels = false;  // rows of 8-bit values, which training holds as bytes
};

TrainParams base_params(LossKind loss, OptimizerKind optimizer) {
  TrainParams p;
  p.loss.kind = loss;
  p.optimizer.kind = optimizer;
  p.lr = optimizer == OptimizerKind::momentum ? 0.02 : 0.01;
  p.epochs = 2;
  p.batch = 512;  // four blocks; 1100 rows end each epoch with a minibatch of 76 rows, one block
  p.seed = 11;
  return p;
}

std::vector<Case> cases() {
  std::vector<Case> all;
  all.push_back({"svm, momentum", base_params(LossKind::svm, OptimizerKind::momentum)});
  all.push_back({"softmax, adam", base_params(LossKind::softmax, OptimizerKind::adam)});
  Case dropout{"softmax, adam, dropout", base_params(LossKind::softmax, OptimizerKind::adam)};
  dropout.p.dropout = 0.2;
  all.push_back(dropout);
  Case wide{"softmax, adam, 17 classes (row kernels)", base_params(LossKind::softmax, OptimizerKind::adam),
            17};
  all.push_back(wide);
  Case bytes{"svm, adam, byte rows", base_params(LossKind::svm, OptimizerKind::adam), 3, true};
  all.push_back(bytes);
  Case chunks{"softmax, nesterov, streamed chunks", base_params(LossKind::softmax, OptimizerKind::nesterov)};
  chunks.p.batch = 300;                                // three blocks, the last of 44 rows
  chunks.p.max_memory = 2 * 400 * 20 * sizeof(float);  // chunks of 400 rows: minibatches of 300, 100
  all.push_back(chunks);
  return all;
}

struct Data {
  Blobs train, val;
  MatrixSource train_source, val_source;
  Data(int classes, bool pixels)
      : train(pixels ? make_pixel_blobs(1100, 20, classes, 3) : make_blobs(1100, 20, classes, 3.0, 3)),
        val(pixels ? make_pixel_blobs(200, 20, classes, 4) : make_blobs(200, 20, classes, 3.0, 4)),
        train_source(train.source()),
        val_source(val.source()) {}
  LabelledRows train_rows() const { return {&train_source, train.y}; }
  LabelledRows val_rows() const { return {&val_source, val.y}; }
};

/// The run on `size` ranks, each rank's result; ranks take one or two threads.
std::vector<TrainResult> train_on_ranks(int size, const TrainParams& p, const Data& data, int classes,
                                        const TrainObserver& observer = {},
                                        const TrainState* resume = nullptr) {
  return on_ranks(size, [&](const ThreadRank& job) {
    omp_set_num_threads(1 + job.rank() % 2);
    const LabelledRows val = data.val_rows();
    return train(p, data.train_rows(), &val, classes, job.rank() == 0 ? observer : TrainObserver{}, resume,
                 job);
  });
}

TEST(DistributedTraining, EveryRankCountGivesTheSameBitsAsOneProcess) {
  for (const Case& c : cases()) {
    const Data data(c.classes, c.pixels);
    const LabelledRows val = data.val_rows();
    const TrainResult alone = train(c.p, data.train_rows(), &val, c.classes);
    if (c.pixels) {
      ASSERT_GT(alone.byte_divisor, 0) << c.name << ": the rows were not held as bytes";
    }
    for (int size = 1; size <= 4; ++size) {
      const std::vector<TrainResult> ranks = train_on_ranks(size, c.p, data, c.classes);
      for (int r = 0; r < size; ++r) {
        expect_same_run(alone, ranks[r],
                        c.name + ", rank " + std::to_string(r) + " of " + std::to_string(size));
      }
    }
  }
}

TEST(DistributedTraining, ACheckpointOfOneJobResumesInAJobOfAnySize) {
  const Data data(3, false);
  TrainParams p = base_params(LossKind::softmax, OptimizerKind::adam);
  p.epochs = 4;
  const LabelledRows val = data.val_rows();
  const TrainResult alone = train(p, data.train_rows(), &val, 3);
  std::vector<TrainState> states;
  TrainObserver saving;
  saving.checkpoint_every = 2;
  saving.checkpoint = [&](const TrainState& s) { states.push_back(s); };
  train_on_ranks(2, p, data, 3, saving);
  ASSERT_EQ(states.size(), 1u);
  ASSERT_EQ(states[0].epochs_done, 2);
  expect_same_run(alone, train(p, data.train_rows(), &val, 3, {}, &states[0]), "resumed by one process");
  for (int size : {3, 4}) {
    const std::vector<TrainResult> ranks = train_on_ranks(size, p, data, 3, {}, &states[0]);
    expect_same_run(alone, ranks[0], "resumed by " + std::to_string(size) + " ranks");
  }
}

TEST(DistributedTraining, RanksGivenDifferentRunsStopBeforeTheFirstStep) {
  const Data data(3, false);
  const TrainParams p = base_params(LossKind::svm, OptimizerKind::sgd);
  try {
    on_ranks(3, [&](const ThreadRank& job) {
      TrainParams mine = p;
      if (job.rank() == 2) mine.seed = 12;
      return train(mine, data.train_rows(), nullptr, 3, {}, nullptr, job);
    });
    FAIL() << "the ranks trained different runs together";
  } catch (const RunError& e) {
    EXPECT_NE(std::string(e.what()).find("rank 2 of 3 starts another run than rank 0"), std::string::npos)
        << e.what();
  }
}

TEST(DistributedTraining, EachRankSendsItsBlocksGradientsOncePerStep) {
  for (int classes : {3, 17}) {
    const Data d(classes, false);
    TrainParams p = base_params(LossKind::softmax, OptimizerKind::sgd);
    p.epochs = 1;
    for (int size : {2, 3, 4, 5}) {
      const std::vector<std::vector<std::size_t>> gathered = on_ranks(size, [&](const ThreadRank& job) {
        train(p, d.train_rows(), nullptr, classes, {}, nullptr, job);
        return job.calls;
      });
      for (int r = 0; r < size; ++r) {
        const std::vector<std::size_t>& sent = gathered[r];
        // one gather of the start's digest, then three calls per step (the blocks' totals, the slices of
        // their gradients, the summed slice): 512, 512 and 76 rows
        ASSERT_EQ(sent.size(), 10u);
        EXPECT_EQ(sent[0], sizeof(uint64_t));
        const int64_t steps[] = {512, 512, 76};
        for (int s = 0; s < 3; ++s) {
          EXPECT_EQ(sent[1 + 3 * s] + sent[2 + 3 * s] + sent[3 + 3 * s],
                    step_bytes_sent(20, classes, steps[s], r, size))
              << classes << " classes, rank " << r << " of " << size << ", step " << s;
        }
      }
    }
  }
  // four blocks of 785 x 10 parameters, one on each of four ranks: the block's totals (16 bytes), its
  // gradient but the rank's slice of 7850 / 4 parameters (5887 or 5888 floats) to the others, the summed
  // slice (1963 or 1962 floats) to the gather
  EXPECT_EQ(step_bytes_sent(784, 10, 512, 0, 4), 16 + (7850 - 1963) * 4 + 1963 * 4);
  EXPECT_EQ(step_bytes_sent(784, 10, 512, 3, 4), 16 + (7850 - 1962) * 4 + 1962 * 4);
  // two blocks on each of two ranks: twice the totals and twice the gradient but the slice, and the slice
  EXPECT_EQ(step_bytes_sent(784, 10, 512, 0, 2), 2 * 16 + 2 * 3925 * 4 + 3925 * 4);
  EXPECT_EQ(step_bytes_sent(784, 10, 512, 4, 5), 1570u * 4);  // no block: only its summed slice
  EXPECT_EQ(step_bytes_sent(784, 10, 512, 0, 1), 0u);         // one process exchanges nothing
}

}  // namespace
}  // namespace featpipe::classify
