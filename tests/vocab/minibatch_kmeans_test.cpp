#include "featpipe/vocab/minibatch_kmeans.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "vocab/vocab_test_data.h"

namespace featpipe::vocab {
namespace {

RowReader reader_of(const RowMatrix<float>& x, uint64_t* rows_read = nullptr) {
  return [&x, rows_read](uint64_t begin, uint64_t count, float* out) {
    ASSERT_LE(begin + count, uint64_t(x.rows()));
    std::copy(x.row(begin).data(), x.row(begin).data() + count * x.cols(), out);
    if (rows_read) *rows_read += count;
  };
}

TEST(MiniBatchKMeansTest, FindsWellSeparatedBlobsFromBatches) {
  const auto blobs = testing::make_blobs(8, 1000, 10, 10.0f, 21);
  MiniBatchParams params;
  params.k = 8;
  params.batch_rows = 512;
  params.run_rows = 16;
  params.max_batches = 100;
  params.seed = 4;
  uint64_t read = 0;
  const KMeansResult r = minibatch_kmeans(blobs.points.rows(), 10, reader_of(blobs.points, &read), params);
  for (int j = 0; j < 8; ++j) {
    double best = INFINITY;
    for (int c = 0; c < 8; ++c)
      best = std::min<double>(best, (r.centres.row(c) - blobs.centres.row(j)).norm());
    EXPECT_LT(best, 0.5) << "true centre " << j;
  }
  // Smoothed batch energy: the within-blob scatter, about d per row.
  EXPECT_NEAR(r.energy.back() / 10, 1.0, 0.15);
  EXPECT_EQ(r.energy.size(), std::size_t(r.iterations));
  EXPECT_LT(read, uint64_t(r.iterations + 2) * 8000);  // batches, not the whole data each step
}

TEST(MiniBatchKMeansTest, StopsWhenTheSmoothedEnergyStallsAndIsSeeded) {
  const auto blobs = testing::make_blobs(4, 500, 3, 8.0f, 22);
  MiniBatchParams params;
  params.k = 4;
  params.batch_rows = 256;
  params.max_batches = 1000;
  params.patience = 5;
  const KMeansResult a = minibatch_kmeans(blobs.points.rows(), 3, reader_of(blobs.points), params);
  EXPECT_LT(a.iterations, 1000);
  const KMeansResult b = minibatch_kmeans(blobs.points.rows(), 3, reader_of(blobs.points), params);
  EXPECT_TRUE(a.centres == b.centres);
  EXPECT_TRUE(a.centres.allFinite());
}

TEST(MiniBatchKMeansTest, RejectsBadParameters) {
  RowMatrix<float> x = RowMatrix<float>::Random(3, 2);
  MiniBatchParams params;
  params.k = 4;
  EXPECT_THROW(minibatch_kmeans(3, 2, reader_of(x), params), std::invalid_argument);
  params.k = 2;
  params.batch_rows = 0;
  EXPECT_TRUE(validate(params).has_value());
}

}  // namespace
}  // namespace featpipe::vocab
