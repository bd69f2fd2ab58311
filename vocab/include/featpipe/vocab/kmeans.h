#pragma once
// k-means: k-means++ seeding (Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding",
// SODA 2007) and Lloyd iterations whose distances are one matrix product per block of rows (distances.h).
// An iteration is "per-block sums, counts and energy, then a reduction in block order", so the result is
// the same on any number of threads, and of ranks sharing the rows (core/block_reduction.h).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/core/block_reduction.h"
#include "featpipe/core/matrix.h"

namespace featpipe::vocab {

struct KMeansParams {
  int k = 256;                    // clusters
  int max_iterations = 100;       // Lloyd iterations (assignment + update)
  double tolerance = 1e-4;        // stop once the energy falls by less than this fraction in an iteration;
                                  // 0 runs every iteration
  std::size_t init_sample = 0;    // rows k-means++ seeds from (a seeded sample); 0: min(rows, 128 * k)
  std::size_t block_rows = 4096;  // rows per partial sum; fixes the reduction order, and how rows may be
                                  // shared among ranks
  int seed_trials = 0;            // k-means++ candidates per seed, the one leaving the lowest potential kept
                                  // ("greedy k-means++", as scikit-learn); 0: default_seed_trials(k);
                                  // 1: plain k-means++, which puts two seeds in one cluster far more often
  uint64_t seed = 0;              // k-means++ draws and the sample it seeds from
  std::function<void(int iteration, double energy)> on_iteration;  // progress: after each iteration
  // The ranks sharing the rows (core/collective.h); nullptr: this process alone. With a job, every function
  // below takes x as this rank's rows, whole blocks of block_rows rows following the previous rank's
  // (rank_rows() cuts them so), and every rank returns the same result, the bits of one process holding
  // every row. Every rank must call with the same parameters.
  const Collective* job = nullptr;
};

/// 2 + floor(ln k): the candidates per seed of greedy k-means++ (Arthur & Vassilvitskii's section 5,
/// scikit-learn's default).
std::size_t default_seed_trials(std::size_t k);

/// k >= 1, max_iterations >= 1, tolerance >= 0, block_rows >= 1, seed_trials >= 0.
std::optional<std::string> validate(const KMeansParams& params);

struct KMeansResult {
  RowMatrix<float> centres;    // k x d
  std::vector<double> energy;  // per iteration: sum over rows of the squared distance to the nearest centre
                               // (before that iteration's update), in double
  int iterations = 0;
  int reseeded = 0;  // empty clusters moved onto far rows, over all iterations
};

/// k-means++ seeds: k rows of x, each the best of seed_trials rows drawn with probability proportional to the
/// squared distance to the seeds so far, from a seeded sample of init_sample rows (global row numbers drawn
/// once; with a job each rank sends the sample's rows it holds, and every rank seeds from the whole sample).
/// Throws std::invalid_argument when x (all ranks' rows) has fewer than k rows.
RowMatrix<float> kmeans_plus_plus(ConstMatrixView<float> x, const KMeansParams& params);

/// Lloyd iterations from the given centres (k x d, the same on every rank). A cluster left empty is moved
/// onto the row farthest from its centre (then the next farthest, one row per empty cluster, among all
/// ranks' rows), so no centre is ever NaN. Ensures: energy is non-increasing up to float rounding of the
/// assignment. With a job, each iteration is one block reduction of every block's record
/// (core/block_reduction.h; kmeans_iteration_bytes), and one all_gather more of at most (d + 2) doubles per
/// empty cluster from each rank when clusters are empty.
KMeansResult kmeans_lloyd(ConstMatrixView<float> x, RowMatrix<float> centres, const KMeansParams& params);

/// What one Lloyd iteration moves when n rows of d dimensions are shared among `size` ranks as rank_rows()
/// cuts them, records of k * d + k + 1 doubles (sums, counts, energy) per block reduced by reduction_bytes'
/// reduce-scatter: a rank sends about its blocks' records and receives about one record per block divided
/// by the rank count. Nothing for one process.
ReductionBytes kmeans_iteration_bytes(std::size_t n, std::size_t k, std::size_t d, std::size_t block_rows,
                                      int rank, int size);

/// kmeans_plus_plus then kmeans_lloyd. Throws std::invalid_argument with validate()'s message, or when x
/// has fewer rows than k.
KMeansResult kmeans(ConstMatrixView<float> x, const KMeansParams& params);

}  // namespace featpipe::vocab
