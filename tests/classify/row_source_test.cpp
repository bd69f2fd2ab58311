// Row blocks of a source: in place for rows in memory (blocks end where a span of rows ends, and each is
// released once the work on it is done), read one block ahead on another thread for rows on disk
// (BlockReader). Every block arrives once, in order and whole; a walk that stops early stops the reading;
// an error while reading, or in the work on a block, reaches the caller without a hang.
#include "featpipe/classify/row_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <utility>
#include <vector>

#include "span_source.h"

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

RowMatrix<float> numbered(Eigen::Index rows, Eigen::Index dim) {
  RowMatrix<float> x(rows, dim);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(i);
  return x;
}

TEST(RowBlocks, InPlaceBlocksEndAtSpanEndsAndAreReleasedOnce) {
  const RowMatrix<float> x = numbered(21, 3);
  const testing::SpanSource source(x, {7, 1, 13});
  std::vector<std::pair<uint64_t, uint64_t>> blocks;
  for_each_row_block(source, 5, [&](ConstMatrixView<float> rows, uint64_t begin) {
    blocks.emplace_back(begin, rows.rows());
    for (Eigen::Index r = 0; r < rows.rows(); ++r) {
      for (Eigen::Index c = 0; c < 3; ++c) ASSERT_EQ(rows(r, c), x(Eigen::Index(begin) + r, c));
    }
    // the rows handed out are not released before the work on them is done
    EXPECT_EQ(source.released(begin), 0);
  });
  const std::vector<std::pair<uint64_t, uint64_t>> expected = {{0, 5}, {5, 2},  {7, 1},
                                                               {8, 5}, {13, 5}, {18, 3}};
  EXPECT_EQ(blocks, expected);
  for (uint64_t r = 0; r < 21; ++r) EXPECT_EQ(source.released(r), 1) << "row " << r;
}

TEST(RowBlocks, RowsInPlaceOnlyWithinOneSpan) {
  const RowMatrix<float> x = numbered(21, 3);
  const testing::SpanSource source(x, {7, 1, 13});
  for (auto [begin, count] :
       {std::pair{0, 7}, std::pair{2, 5}, std::pair{7, 1}, std::pair{8, 13}, std::pair{20, 1}}) {
    const float* rows = rows_in_place(source, begin, count);
    ASSERT_NE(rows, nullptr) << begin << " + " << count;
    EXPECT_EQ(rows[0], x(begin, 0));
    EXPECT_EQ(rows[count * 3 - 1], x(begin + count - 1, 2));
  }
  for (auto [begin, count] : {std::pair{5, 3}, std::pair{7, 2}, std::pair{0, 21}, std::pair{20, 2}})
    EXPECT_EQ(rows_in_place(source, begin, count), nullptr) << begin << " + " << count;
  EXPECT_EQ(rows_in_place(CountingSource(10, 2), 0, 1), nullptr);
  const MatrixSource whole(x.data(), 21, 3);
  EXPECT_EQ(rows_in_place(whole, 4, 17), x.data() + 12);
}

}  // namespace
}  // namespace featpipe::classify
