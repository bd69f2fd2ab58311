// k-means, the GMM, the whitening and the vocab stage with their rows shared among the ranks of a job (a job
// of threads, tests/thread_job.h): every rank ends with the bits of one process holding every row, for 1 to
// 4 ranks, with blocks small enough that each rank holds several, and a short last one. Where sums decide the
// result, the test first checks that one process with other blocks (the same sums in another order) gets
// other bits, so that the data can tell the orders apart. Rows of 37 floats (148 bytes) lie at other
// addresses modulo 64 in a rank's share than in one process's matrix, which any vectorised sum whose order
// follows the address would show.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "featpipe/core/block_reduction.h"
#include "featpipe/core/random.h"
#include "featpipe/vocab/gmm.h"
#include "featpipe/vocab/kmeans.h"
#include "featpipe/vocab/learn.h"
#include "featpipe/vocab/whitening.h"
#include "thread_job.h"
#include "vocab/vocab_test_data.h"

namespace featpipe::vocab {
namespace {

using testing::make_blobs;
using testing::ThreadJob;

/// The rows of x that this rank holds, as rank_rows() cuts them.
RowMatrix<float> rows_of(const RowMatrix<float>& x, std::size_t block_rows, const Collective& job) {
  const auto [begin, end] = rank_rows(x.rows(), block_rows, job.rank(), job.size());
  return x.middleRows(begin, end - begin);
}

/// Every 16th row scaled by 2^12, the others by 2^-12: exact floats, but sums in double that round, and
/// differently in another order (after a large row of its block, the small rows are added one by one to a
/// large partial sum; before it, to each other first).
RowMatrix<float> wide_range(RowMatrix<float> x) {
  for (Eigen::Index i = 0; i < x.rows(); ++i) x.row(i) *= std::ldexp(1.0f, i % 16 == 0 ? 12 : -12);
  return x;
}

template <typename Matrix>
bool same_bits(const Matrix& a, const Matrix& b) {
  // empty matrices (a vocabulary without variances) have no data to compare, and memcmp takes no null
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(*a.data()) * a.size()) == 0);
}

/// fn(job) on every rank of jobs of 1 to 4 ranks; check(rank's result, ranks, rank) against one process's.
template <typename Result, typename Fn, typename Check>
void expect_same_on_any_ranks(Fn&& fn, Check&& check) {
  for (int size = 1; size <= 4; ++size) {
    std::vector<Result> results(size);
    ThreadJob::run(size, [&](const Collective& job) { results[job.rank()] = fn(job); });
    for (int r = 0; r < size; ++r) check(results[r], size, r);
  }
}

void expect_same_kmeans(const KMeansResult& got, const KMeansResult& one, int size, int rank) {
  EXPECT_TRUE(same_bits(got.centres, one.centres)) << "rank " << rank << " of " << size;
  EXPECT_EQ(got.energy, one.energy) << "rank " << rank << " of " << size;
  EXPECT_EQ(got.iterations, one.iterations);
  EXPECT_EQ(got.reseeded, one.reseeded);
}

TEST(KMeansOnRanks, SameBitsAsOneProcess) {
  const RowMatrix<float> x = wide_range(make_blobs(12, 60, 37, 0.3f, 21).points);
  KMeansParams params;
  params.k = 12;
  params.max_iterations = 25;
  params.tolerance = 0;
  params.block_rows = 37;  // 20 blocks, the last of 17 rows
  // k-means++ from a seeded sample of 300 rows, then from every row (128 k > 720 rows).
  for (const std::size_t sample : {300, 0}) {
    params.init_sample = sample;
    const KMeansResult one = kmeans(x, params);
    ASSERT_GE(one.iterations, 3);
    KMeansParams other_blocks = params;
    other_blocks.block_rows = 38;
    ASSERT_NE(kmeans(x, other_blocks).energy, one.energy);
    expect_same_on_any_ranks<KMeansResult>(
        [&](const Collective& job) {
          KMeansParams p = params;
          p.job = &job;
          return kmeans(rows_of(x, p.block_rows, job), p);
        },
        [&](const KMeansResult& got, int size, int rank) { expect_same_kmeans(got, one, size, rank); });
  }
}

TEST(KMeansOnRanks, EmptyClustersTakeTheJobsFarthestRows) {
  // 6 distinct values, repeated, and 5 centres starting on the same one: four clusters are empty at first,
  // and the farthest rows lie on every rank.
  const auto [x, start] = testing::repeated_rows(5);
  KMeansParams params;
  params.k = 5;
  params.max_iterations = 20;
  params.block_rows = 7;
  const KMeansResult one = kmeans_lloyd(x, start, params);
  ASSERT_GE(one.reseeded, 4);
  expect_same_on_any_ranks<KMeansResult>(
      [&](const Collective& job) {
        KMeansParams p = params;
        p.job = &job;
        return kmeans_lloyd(rows_of(x, p.block_rows, job), start, p);
      },
      [&](const KMeansResult& got, int size, int rank) { expect_same_kmeans(got, one, size, rank); });
}

TEST(KMeansOnRanks, EachRankSendsTheRecordsOfItsBlocks) {
  const auto blobs = make_blobs(4, 50, 6, 20.0f, 23);  // far apart: no cluster is ever empty
  KMeansParams params;
  params.k = 4;
  params.max_iterations = 1;
  params.block_rows = 16;  // 13 blocks
  for (int size = 2; size <= 4; ++size) {
    const std::vector<std::size_t> sent = ThreadJob::run(size, [&](const Collective& job) {
      KMeansParams p = params;
      p.job = &job;
      kmeans_lloyd(rows_of(blobs.points, p.block_rows, job), blobs.centres, p);
    });
    for (int r = 0; r < size; ++r) {
      const ReductionBytes bytes = kmeans_iteration_bytes(200, 4, 6, 16, r, size);
      // (k d + k + 1) doubles per block held but its own slice of them, and its summed slice, after the
      // row counts of share_rows
      const std::size_t width = 4 * 6 + 4 + 1;
      const std::size_t slice = rank_share(width, r, size).second - rank_share(width, r, size).first;
      EXPECT_EQ(bytes.sent, (std::size_t(rank_share(13, r, size).second - rank_share(13, r, size).first) *
                                 (width - slice) +
                             slice) *
                                sizeof(double));
      EXPECT_EQ(sent[r], sizeof(uint64_t) + bytes.sent) << "rank " << r << " of " << size;
    }
  }
}

TEST(GmmOnRanks, SameBitsAsOneProcess) {
  const auto blobs = make_blobs(6, 80, 37, 0.3f, 22);
  GmmParams params;
  params.k = 6;
  params.max_iterations = 15;
  params.tolerance = 0;
  params.init_iterations = 3;
  params.block_rows = 29;  // 17 blocks, the last of 16 rows
  const GmmResult one = fit_gmm(blobs.points, params);
  ASSERT_EQ(one.iterations, 15);
  GmmParams other_blocks = params;
  other_blocks.block_rows = 30;
  ASSERT_NE(fit_gmm(blobs.points, other_blocks).log_likelihood, one.log_likelihood);
  expect_same_on_any_ranks<GmmResult>(
      [&](const Collective& job) {
        GmmParams p = params;
        p.job = &job;
        return fit_gmm(rows_of(blobs.points, p.block_rows, job), p);
      },
      [&](const GmmResult& got, int size, int rank) {
        EXPECT_TRUE(same_bits(got.gmm.means, one.gmm.means)) << "rank " << rank << " of " << size;
        EXPECT_TRUE(same_bits(got.gmm.variances, one.gmm.variances)) << "rank " << rank << " of " << size;
        EXPECT_TRUE(same_bits(got.gmm.weights, one.gmm.weights)) << "rank " << rank << " of " << size;
        EXPECT_EQ(got.log_likelihood, one.log_likelihood) << "rank " << rank << " of " << size;
      });
}

TEST(WhiteningOnRanks, SameTransformAsOneProcess) {
  // Every fifth column repeats the one before it: the covariance is singular, its smallest eigenvalues are
  // rounding noise, and a tiny epsilon lets that noise, and with it the order of the sums, reach the
  // transform.
  random::Generator rng(5, random::Stream::test);
  RowMatrix<float> x(500, 37);
  for (int i = 0; i < x.rows(); ++i) {
    const float shared = static_cast<float>(rng.normal());
    for (int c = 0; c < x.cols(); ++c)
      x(i, c) = c % 5 == 4 ? x(i, c - 1) : 3 + shared * float(c % 5) + static_cast<float>(rng.normal());
  }
  WhiteningParams params;
  params.zca = true;
  params.zca_eps = 1e-9f;
  for (const bool normalize : {false, true}) {
    params.normalize_patches = normalize;
    const Whitening one = Whitening::learn(x, params, single_process(), 41);
    ASSERT_FALSE(same_bits(Whitening::learn(x, params, single_process(), 42).transform(), one.transform()));
    expect_same_on_any_ranks<Whitening>(
        [&](const Collective& job) { return Whitening::learn(rows_of(x, 41, job), params, job, 41); },
        [&](const Whitening& got, int size, int rank) {
          EXPECT_TRUE(same_bits(got.mean(), one.mean())) << normalize << " rank " << rank << " of " << size;
          EXPECT_TRUE(same_bits(got.transform(), one.transform()))
              << normalize << " rank " << rank << " of " << size;
        });
  }
}

TEST(LearnOnRanks, SameVocabularyAsOneProcess) {
  const auto blobs = make_blobs(5, 60, 37, 1.0f, 24);
  for (const VocabMethod method : {VocabMethod::kmeans, VocabMethod::gmm}) {
    LearnOptions o;
    o.method = method;
    o.k = 5;
    o.iterations = 8;
    o.tolerance = 0;
    o.block_rows = 23;
    o.whitening.zca = true;
    o.whitening.normalize_patches = true;
    RowMatrix<float> all = blobs.points;
    const LearnedVocabulary one = learn_vocabulary(all, "patch(size=2)", {}, o, silent_observer());
    LearnOptions other_blocks = o;
    other_blocks.block_rows = 24;
    all = blobs.points;
    ASSERT_NE(learn_vocabulary(all, "patch(size=2)", {}, other_blocks, silent_observer()).vocabulary.history,
              one.vocabulary.history);
    expect_same_on_any_ranks<LearnedVocabulary>(
        [&](const Collective& job) {
          LearnOptions shared = o;
          shared.job = &job;
          RowMatrix<float> mine = rows_of(blobs.points, o.block_rows, job);
          return learn_vocabulary(mine, "patch(size=2)", {}, shared, silent_observer());
        },
        [&](const LearnedVocabulary& got, int size, int rank) {
          const Vocabulary &v = got.vocabulary, &w = one.vocabulary;
          EXPECT_TRUE(same_bits(v.centres, w.centres))
              << to_string(method) << " rank " << rank << " of " << size;
          EXPECT_TRUE(same_bits(v.variances, w.variances)) << to_string(method);
          EXPECT_TRUE(same_bits(v.whitening.transform(), w.whitening.transform())) << to_string(method);
          EXPECT_EQ(v.history, w.history) << to_string(method);
          EXPECT_EQ(v.distortion, w.distortion) << to_string(method);
          EXPECT_EQ(got.provenance, one.provenance) << to_string(method);
        });
  }
}

}  // namespace
}  // namespace featpipe::vocab
