// Row blocks of a source: in place for rows in memory, read one block ahead on another thread for rows
// on disk (BlockReader). Every block arrives once, in order and whole; a walk that stops early stops the
// reading; an error while reading, or in the work on a block, reaches the caller without a hang.
#include "featpipe/classify/row_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace featpipe::classify {
namespace {

/// rows x dim values r * dim + c, read by copying (no data()), counting the rows read; read_rows throws
/// for a block starting at fail_at.
class CountingSource final : public RowSource {
 public:
  CountingSource(uint64_t rows, uint64_t dim, int64_t fail_at = -1)
      : rows_(rows), dim_(dim), fail_at_(fail_at) {}
  uint64_t rows() const override { return rows_; }
  uint64_t dim() const override { return dim_; }
  void read_rows(uint64_t begin, uint64_t count, float* out) const override {
    if (static_cast<int64_t>(begin) == fail_at_)
      throw std::runtime_error("disk error at row " + std::to_string(begin));
    for (uint64_t r = begin; r < begin + count; ++r) {
      for (uint64_t c = 0; c < dim_; ++c) *out++ = static_cast<float>(r * dim_ + c);
    }
    rows_read += count;
  }
  mutable std::atomic<uint64_t> rows_read{0};

 private:
  uint64_t rows_, dim_;
  int64_t fail_at_;
};

TEST(RowBlocks, EveryBlockOnceInOrderAndWhole) {
  for (uint64_t n : {1, 7, 10, 64}) {
    for (uint64_t block : {1, 3, 10, 100}) {
      const CountingSource disk(n, 5);
      std::vector<float> all(n * 5);
      for (uint64_t i = 0; i < all.size(); ++i) all[i] = static_cast<float>(i);
      const MatrixSource memory(all.data(), n, 5);
      for (const RowSource* source :
           {static_cast<const RowSource*>(&disk), static_cast<const RowSource*>(&memory)}) {
        uint64_t next = 0;
        for_each_row_block(*source, block, [&](ConstMatrixView<float> rows, uint64_t begin) {
          EXPECT_EQ(begin, next);
          EXPECT_EQ(static_cast<uint64_t>(rows.rows()), std::min(block, n - begin));
          for (Eigen::Index r = 0; r < rows.rows(); ++r) {
            for (Eigen::Index c = 0; c < 5; ++c) {
              ASSERT_EQ(rows(r, c), static_cast<float>((begin + r) * 5 + c))
                  << n << " rows, blocks of " << block;
            }
          }
          next += rows.rows();
        });
        EXPECT_EQ(next, n) << n << " rows, blocks of " << block;
      }
      EXPECT_EQ(disk.rows_read.load(), n);
    }
  }
}

TEST(RowBlocks, FalseStopsTheWalkAndTheReading) {
  const CountingSource disk(1000, 4);
  int blocks = 0;
  for_each_row_block(disk, 10, [&](ConstMatrixView<float>, uint64_t) { return ++blocks < 2; });
  EXPECT_EQ(blocks, 2);
  // the reader is at most two blocks ahead of the walk
  EXPECT_LE(disk.rows_read.load(), 40u);
}

TEST(RowBlocks, AReadErrorReachesTheCallerAfterTheBlocksBeforeIt) {
  const CountingSource disk(100, 3, 30);
  std::vector<uint64_t> seen;
  try {
    for_each_row_block(disk, 10, [&](ConstMatrixView<float>, uint64_t begin) { seen.push_back(begin); });
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "disk error at row 30");
  }
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 10, 20}));
}

TEST(RowBlocks, AnErrorInTheWorkStopsTheReading) {
  const CountingSource disk(100000, 8);
  EXPECT_THROW(for_each_row_block(disk, 100,
                                  [&](ConstMatrixView<float>, uint64_t begin) {
                                    if (begin == 200) throw std::invalid_argument("bad block");
                                  }),
               std::invalid_argument);
  EXPECT_LE(disk.rows_read.load(), 500u);
}

}  // namespace
}  // namespace featpipe::classify
