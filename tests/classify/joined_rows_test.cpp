// Several sources side by side: every row is the parts' rows concatenated, whatever the block of rows
// read, and training on the joined parts gives the bits of training on the concatenated matrix, held
// whole or streamed in chunks; parts of other row counts are refused.
#include "featpipe/classify/joined_rows.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "blobs.h"
#include "featpipe/classify/trainer.h"

namespace featpipe::classify {
namespace {

/// The columns [first, first + count) of x.
RowMatrix<float> columns(const RowMatrix<float>& x, Eigen::Index first, Eigen::Index count) {
  return x.middleCols(first, count);
}

TEST(JoinedRows, RowsAreThePartsRowsSideBySide) {
  const Blobs b = make_blobs(50, 7, 3, 0.5, 4);
  const RowMatrix<float> left = columns(b.x, 0, 3), right = columns(b.x, 3, 4);
  const MatrixSource l(left.data(), 50, 3), r(right.data(), 50, 4);
  const JoinedRows joined({&l, &r});
  EXPECT_EQ(joined.rows(), 50u);
  EXPECT_EQ(joined.dim(), 7u);
  EXPECT_TRUE(joined.in_place().empty());
  EXPECT_EQ(joined.data(), nullptr);
  for (uint64_t begin : {0u, 13u, 49u}) {
    const uint64_t count = 50 - begin;
    RowMatrix<float> out(Eigen::Index(count), 7);
    joined.read_rows(begin, count, out.data());
    EXPECT_EQ(out, b.x.bottomRows(Eigen::Index(count))) << "from row " << begin;
  }
}

TEST(JoinedRows, RefusesPartsOfOtherRowCounts) {
  const Blobs b = make_blobs(20, 4, 2, 0.5, 5);
  const MatrixSource all(b.x.data(), 20, 4), fewer(b.x.data(), 19, 4);
  EXPECT_THROW(JoinedRows({&all, &fewer}), std::invalid_argument);
  EXPECT_THROW(JoinedRows({}), std::invalid_argument);
}

TEST(JoinedRows, TrainsTheBitsOfTheConcatenatedMatrix) {
  const Blobs b = make_blobs(300, 9, 3, 0.5, 6);
  const RowMatrix<float> a = columns(b.x, 0, 2), c = columns(b.x, 2, 3), d = columns(b.x, 5, 4);
  const MatrixSource sa(a.data(), 300, 2), sc(c.data(), 300, 3), sd(d.data(), 300, 4);
  const JoinedRows joined({&sa, &sc, &sd});
  const MatrixSource whole = b.source();
  // 0: held whole; 12 KiB: chunks of 170 rows of 9 floats beside the validation chunk
  for (uint64_t max_memory : {uint64_t{0}, uint64_t{12} << 10}) {
    TrainParams p;
    p.loss.kind = LossKind::softmax;
    p.epochs = 3;
    p.batch = 32;
    p.max_memory = max_memory;
    const TrainResult expected = train(p, {&whole, b.y}, nullptr, 3);
    const TrainResult got = train(p, {&joined, b.y}, nullptr, 3);
    EXPECT_EQ(got.model.W, expected.model.W) << "max_memory " << max_memory;
    EXPECT_EQ(got.model.b, expected.model.b) << "max_memory " << max_memory;
    EXPECT_EQ(got.model.preprocess.mean, expected.model.preprocess.mean);
    EXPECT_EQ(got.model.preprocess.std, expected.model.preprocess.std);
    EXPECT_EQ(got.history.loss, expected.history.loss);
  }
}

}  // namespace
}  // namespace featpipe::classify
