#pragma once
// k-means: k-means++ seeding (Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding",
// SODA 2007) and Lloyd iterations whose distances are one matrix product per block of rows (distances.h).
// An iteration is "per-block sums, counts and energy, then a reduction in block order", so the result is
// the same on any number of threads, and the same code can later reduce across MPI ranks.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/core/matrix.h"

namespace featpipe::vocab {

struct KMeansParams {
  int k = 256;                    // clusters
  int max_iterations = 100;       // Lloyd iterations (assignment + update)
  double tolerance = 1e-4;        // stop once the energy falls by less than this fraction in an iteration;
                                  // 0 runs every iteration
  std::size_t init_sample = 0;    // rows k-means++ seeds from (a seeded sample); 0: min(rows, 128 * k)
  std::size_t block_rows = 4096;  // rows per partial sum; fixes the reduction order
  int seed_trials = 0;            // k-means++ candidates per seed, the one leaving the lowest potential kept
                                  // ("greedy k-means++", as scikit-learn); 0: default_seed_trials(k);
                                  // 1: plain k-means++, which puts two seeds in one cluster far more often
  uint64_t seed = 0;              // k-means++ draws and the sample it seeds from
  std::function<void(int iteration, double energy)> on_iteration;  // progress: after each iteration
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
/// squared distance to the seeds so far. Throws std::invalid_argument when x has fewer than k rows.
RowMatrix<float> kmeans_plus_plus(ConstMatrixView<float> x, const KMeansParams& params);

/// Lloyd iterations from the given centres (k x d). A cluster left empty is moved onto the row farthest
/// from its centre (then the next farthest, one row per empty cluster), so no centre is ever NaN.
/// Ensures: energy is non-increasing up to float rounding of the assignment.
KMeansResult kmeans_lloyd(ConstMatrixView<float> x, RowMatrix<float> centres, const KMeansParams& params);

/// kmeans_plus_plus then kmeans_lloyd. Throws std::invalid_argument with validate()'s message, or when x
/// has fewer rows than k.
KMeansResult kmeans(ConstMatrixView<float> x, const KMeansParams& params);

}  // namespace featpipe::vocab
