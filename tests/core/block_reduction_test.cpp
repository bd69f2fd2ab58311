// Rows shared among the ranks of a job and sums over them in block order (core/block_reduction.h), with a job
// of threads (tests/thread_job.h): every rank adds the same records in the same order as one process does.
#include "featpipe/core/block_reduction.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <vector>

#include "thread_job.h"

namespace featpipe {
namespace {

using testing::ThreadJob;

TEST(RankRows, RanksTakeContiguousRunsOfWholeBlocks) {
  for (const std::size_t n : {0, 1, 10, 99, 100, 101}) {
    for (int size = 1; size <= 5; ++size) {
      std::size_t next = 0;
      for (int rank = 0; rank < size; ++rank) {
        const auto [begin, end] = rank_rows(n, 10, rank, size);
        EXPECT_EQ(begin, next) << n << " rows, rank " << rank << " of " << size;
        EXPECT_TRUE(begin == end || begin % 10 == 0);
        next = end;
      }
      EXPECT_EQ(next, n);
    }
  }
}

TEST(ShareRows, EveryRankLearnsWhereItsRowsLie) {
  for (int size = 1; size <= 4; ++size) {
    std::vector<RowShare> shares(size);
    ThreadJob::run(size, [&](const Collective& job) {
      const auto [begin, end] = rank_rows(53, 7, job.rank(), job.size());
      shares[job.rank()] = share_rows(job, end - begin, 7);
    });
    for (int r = 0; r < size; ++r) {
      EXPECT_EQ(shares[r].rows, 53u);
      EXPECT_EQ(shares[r].first_row, rank_rows(53, 7, r, size).first);
      EXPECT_EQ(shares[r].blocks(), 8);
    }
  }
}

TEST(ShareRows, ARankStartingInsideABlockIsRefusedOnEveryRank) {
  std::atomic<int> refused = 0;
  EXPECT_THROW(ThreadJob::run(2,
                              [&](const Collective& job) {
                                try {
                                  share_rows(job, job.rank() == 0 ? 5 : 10,
                                             4);  // rank 1 would begin at row 5
                                } catch (const std::invalid_argument&) {
                                  ++refused;
                                  throw;
                                }
                              }),
               std::invalid_argument);
  EXPECT_EQ(refused, 2);
}

/// Values whose sum depends on the order of the additions: 1e16 swallows a 1 added to it, not a 2.
std::vector<double> awkward_values(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = (i % 5 == 0 ? 1e16 : 1.0) * (i % 2 ? -1 : 1) + double(i) / 3;
  return v;
}

TEST(BlockReduction, RanksAddTheBlocksInOneProcesssOrder) {
  const std::vector<double> values = awkward_values(101);
  const std::size_t block = 6;
  // One process: per block a sum and a count, then the blocks in order.
  double expected = 0, expected_rows = 0;
  for (std::size_t begin = 0; begin < values.size(); begin += block) {
    double sum = 0;
    for (std::size_t i = begin; i < std::min(values.size(), begin + block); ++i) sum += values[i];
    expected += sum;
    expected_rows += double(std::min(values.size(), begin + block) - begin);
  }
  for (int size = 1; size <= 4; ++size) {
    std::vector<double> totals(size), rows(size);
    ThreadJob::run(size, [&](const Collective& job) {
      const auto [first, last] = rank_rows(values.size(), block, job.rank(), job.size());
      const RowShare share = share_rows(job, last - first, block);
      BlockReduction reduction(job, share, 2);
      for (int repeat = 0; repeat < 2; ++repeat) {  // a second run reuses the buffers
        double total = 0, count = 0;
        reduction.run(
            [&](int64_t b, double* record) {
              const auto [begin, n] = share.block(b);
              record[0] = 0;
              for (std::size_t i = 0; i < n; ++i) record[0] += values[first + begin + i];
              record[1] = double(n);
            },
            [&](const double* record) {
              total += record[0];
              count += record[1];
            });
        totals[job.rank()] = total;
        rows[job.rank()] = count;
      }
    });
    for (int r = 0; r < size; ++r) {
      EXPECT_EQ(std::memcmp(&totals[r], &expected, sizeof(double)), 0) << "rank " << r << " of " << size;
      EXPECT_EQ(rows[r], expected_rows);
    }
  }
}

TEST(BlockReduction, BytesSentAreTheRecordsOfTheBlocksARankHoldsButItsSliceAndItsSummedSlice) {
  const std::size_t n = 50, block = 8, width = 3;  // 7 blocks
  for (int size = 2; size <= 4; ++size) {
    const std::vector<std::size_t> sent = ThreadJob::run(size, [&](const Collective& job) {
      const auto [first, last] = rank_rows(n, block, job.rank(), job.size());
      const RowShare share = share_rows(job, last - first, block);
      BlockReduction(job, share, width)
          .run([&](int64_t, double* record) { std::fill(record, record + width, 1.0); },
               [](const double*) {});
    });
    for (int r = 0; r < size; ++r) {
      const ReductionBytes bytes = reduction_bytes(n, block, width, r, size);
      EXPECT_EQ(sent[r], sizeof(uint64_t) + bytes.sent) << "rank " << r << " of " << size;  // + share_rows
      // its slice of the other ranks' blocks' records, and the other slices of the total
      const auto [first, last] = featpipe::rank_share(width, r, size);
      const std::size_t own =
          featpipe::rank_share(7, r, size).second - featpipe::rank_share(7, r, size).first;
      EXPECT_EQ(bytes.received, ((7 - own) * (last - first) + width - (last - first)) * sizeof(double));
    }
  }
  EXPECT_EQ(reduction_bytes(n, block, width, 0, 1).sent, 0u);  // one process gathers nothing
}

}  // namespace
}  // namespace featpipe
