#include "../../classify/src/block_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace featpipe::classify {
namespace {

TEST(BlockPool, RunsEveryBlockOfEveryStepExactlyOnce) {
  for (int threads : {1, 2, 3, 5}) {
    BlockPool pool(threads);
    std::vector<std::atomic<int>> hits(64);
    int64_t count = 0;
    const std::function<void(int64_t)> fn = [&](int64_t i) {
      ASSERT_LT(i, count);
      hits[i].fetch_add(1);
    };
    for (int step = 0; step < 3000; ++step) {
      count = 1 + (step * 7) % 64;
      for (auto& h : hits) h.store(0);
      pool.run(count, fn);
      for (int64_t i = 0; i < 64; ++i) ASSERT_EQ(hits[i].load(), i < count ? 1 : 0) << threads << " " << step;
    }
  }
}

TEST(BlockPool, StopsWhenIdleOrNeverUsed) {
  { BlockPool unused(4); }
  BlockPool pool(3);
  const std::function<void(int64_t)> nothing = [](int64_t) {};
  pool.run(2, nothing);
  EXPECT_THROW(pool.run(BlockPool::kMaxBlocks + 1, nothing), std::length_error);
}

}  // namespace
}  // namespace featpipe::classify
