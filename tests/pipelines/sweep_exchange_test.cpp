// What the ranks of a sweep exchange (pipelines/src/sweep_exchange.h), on ranks run as threads: every rank's
// runs reach every rank in rank order, failed runs with their message, and the best run's model and
// history reach every rank with the same bits.
#include "../../pipelines/src/sweep_exchange.h"

#include <gtest/gtest.h>

#include <cstring>

#include "thread_job.h"

namespace featpipe::pipelines {
namespace {

using ThreadRank = featpipe::testing::ThreadJob::Rank;
constexpr auto on_ranks = [](int size, auto fn) { return featpipe::testing::ThreadJob::on_ranks(size, fn); };

SweepRun run_of(int rank, int i) {
  SweepRun r;
  r.lr = 0.1 * (rank + 1);
  r.lambda = 1e-4 * (i + 1);
  r.trained = i != 1;
  if (r.trained) {
    r.val_acc = 0.5 + 0.01 * rank;
    r.train_acc = 0.75f;
    r.loss = 0.25f + static_cast<float>(i);
  } else {
    r.error = "training diverged on rank " + std::to_string(rank);
  }
  r.seconds = 1.5;
  return r;
}

TEST(SweepExchange, EveryRankGetsEveryRunInRankOrder) {
  const std::vector<std::vector<SweepRun>> gathered = on_ranks(3, [](const ThreadRank& job) {
    std::vector<SweepRun> mine;
    for (int i = 0; i < job.rank(); ++i) mine.push_back(run_of(job.rank(), i));  // 0, 1 and 2 runs
    return gather_runs(job, mine);
  });
  for (const std::vector<SweepRun>& runs : gathered) {
    ASSERT_EQ(runs.size(), 3u);
    const std::pair<int, int> origin[] = {{1, 0}, {2, 0}, {2, 1}};
    for (std::size_t k = 0; k < runs.size(); ++k) {
      const SweepRun want = run_of(origin[k].first, origin[k].second);
      EXPECT_EQ(runs[k].lr, want.lr);
      EXPECT_EQ(runs[k].lambda, want.lambda);
      EXPECT_EQ(runs[k].trained, want.trained);
      EXPECT_EQ(runs[k].val_acc, want.val_acc);
      EXPECT_EQ(runs[k].train_acc, want.train_acc);
      EXPECT_EQ(runs[k].loss, want.loss);
      EXPECT_EQ(runs[k].error, want.error);
      EXPECT_EQ(runs[k].seconds, want.seconds);
    }
  }
}

TEST(SweepExchange, TheBestRunsModelReachesEveryRank) {
  classify::TrainResult best;
  best.model.W = RowMatrix<float>::Random(7, 3);
  best.model.b = RowVector<float>::Random(3);
  best.history.loss = {2.5f, 1.25f, -0.0f};
  best.history.train_acc = {0.5f};
  best.history.val_acc = {0.25f};
  best.history.lr = {0.01f};
  best.history.initial_loss = 1.0986;
  best.history.expected_initial_loss = 1.0986122886681098;
  best.history.best_epoch = 1;
  best.history.stopped_early = true;
  const std::vector<classify::TrainResult> got = on_ranks(4, [&](const ThreadRank& job) {
    classify::TrainResult r;
    if (job.rank() == 2) r = best;
    broadcast_result(job, r, 2);
    return r;
  });
  for (const classify::TrainResult& r : got) {
    ASSERT_EQ(r.model.W.rows(), 7);
    ASSERT_EQ(r.model.W.cols(), 3);
    EXPECT_EQ(std::memcmp(r.model.W.data(), best.model.W.data(), sizeof(float) * 21), 0);
    EXPECT_EQ(r.model.b, best.model.b);
    EXPECT_EQ(std::memcmp(r.history.loss.data(), best.history.loss.data(), sizeof(float) * 3), 0);
    EXPECT_EQ(r.history.train_acc, best.history.train_acc);
    EXPECT_EQ(r.history.val_acc, best.history.val_acc);
    EXPECT_EQ(r.history.lr, best.history.lr);
    EXPECT_EQ(r.history.initial_loss, best.history.initial_loss);
    EXPECT_EQ(r.history.expected_initial_loss, best.history.expected_initial_loss);
    EXPECT_EQ(r.history.best_epoch, 1);
    EXPECT_TRUE(r.history.stopped_early);
  }
}

}  // namespace
}  // namespace featpipe::pipelines
