// core/collective.h: the shares of the ranks, the one-process job, and the typed gathers and the all_to_all
// built on all_gather, run by N ranks on N threads of this process.
#include "featpipe/core/collective.h"

#include <gtest/gtest.h>

#include <functional>

#include "thread_job.h"

namespace {

using featpipe::Collective;

/// fn(rank's Collective) on `size` ranks, each a thread of this process (tests/thread_job.h).
void run_ranks(int size, const std::function<void(const Collective&)>& fn) {
  featpipe::testing::ThreadJob::run(size, fn);
}

TEST(RankShare, CoversTheItemsInOrderWithSharesDifferingByAtMostOne) {
  for (std::size_t count : {0, 1, 5, 12, 13}) {
    for (int size : {1, 2, 3, 4, 7}) {
      std::size_t next = 0;
      for (int rank = 0; rank < size; ++rank) {
        const auto [begin, end] = featpipe::rank_share(count, rank, size);
        EXPECT_EQ(begin, next);
        EXPECT_LE(end - begin, count / size + 1);
        EXPECT_GE(end - begin, count / size);
        next = end;
      }
      EXPECT_EQ(next, count);
    }
  }
  EXPECT_EQ(featpipe::rank_share(10, 0, 4), std::make_pair(std::size_t{0}, std::size_t{3}));
  EXPECT_EQ(featpipe::rank_share(10, 3, 4), std::make_pair(std::size_t{8}, std::size_t{10}));
}

TEST(SingleProcess, GathersAndExchangesOnlyItsOwn) {
  const Collective& job = featpipe::single_process();
  EXPECT_EQ(job.rank(), 0);
  EXPECT_EQ(job.size(), 1);
  const std::vector<double> mine = {1.5, -2};
  std::vector<std::size_t> counts;
  EXPECT_EQ(featpipe::all_gather<double>(job, mine, &counts), mine);
  EXPECT_EQ(counts, std::vector<std::size_t>{2});
  EXPECT_EQ(featpipe::all_to_all<double>(job, {mine}), mine);
}

TEST(Collective, AllGatherConcatenatesInRankOrder) {
  for (int size : {1, 2, 3, 4}) {
    run_ranks(size, [&](const Collective& job) {
      // Rank r gives r + 1 values r * 10, r * 10 + 1, ...
      std::vector<int64_t> mine;
      for (int i = 0; i <= job.rank(); ++i) mine.push_back(job.rank() * 10 + i);
      std::vector<std::size_t> counts;
      const std::vector<int64_t> all = featpipe::all_gather<int64_t>(job, mine, &counts);
      std::vector<int64_t> expected;
      for (int r = 0; r < size; ++r)
        for (int i = 0; i <= r; ++i) expected.push_back(r * 10 + i);
      EXPECT_EQ(all, expected);
      ASSERT_EQ(counts.size(), std::size_t(size));
      for (int r = 0; r < size; ++r) EXPECT_EQ(counts[r], std::size_t(r + 1));
    });
  }
}

TEST(Collective, AllToAllDeliversEachPieceToItsRankInSenderOrder) {
  for (int size : {1, 2, 3, 4}) {
    run_ranks(size, [&](const Collective& job) {
      // Rank r sends rank t the values 100 r + t, repeated t + 1 times (rank 0 receives one of each).
      std::vector<std::vector<int32_t>> to_each(size);
      for (int t = 0; t < size; ++t) to_each[t].assign(t + 1, 100 * job.rank() + t);
      std::vector<std::size_t> counts;
      const std::vector<int32_t> received = featpipe::all_to_all<int32_t>(job, to_each, &counts);
      std::vector<int32_t> expected;
      for (int from = 0; from < size; ++from)
        expected.insert(expected.end(), job.rank() + 1, 100 * from + job.rank());
      EXPECT_EQ(received, expected);
      EXPECT_EQ(counts, std::vector<std::size_t>(size, job.rank() + 1));
    });
  }
}

TEST(Collective, BroadcastGivesEveryRankTheRootsValues) {
  run_ranks(3, [&](const Collective& job) {
    std::vector<float> values = job.rank() == 2 ? std::vector<float>{3, 4, 5} : std::vector<float>{};
    featpipe::broadcast(job, values, 2);
    EXPECT_EQ(values, (std::vector<float>{3, 4, 5}));
  });
}

}  // namespace
