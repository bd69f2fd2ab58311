#pragma once
// Gaussian mixture with diagonal covariances, fitted by EM and seeded by k-means: the generative vocabulary
// that Fisher vectors are computed against (Perronnin, Sanchez & Mensink, "Improving the Fisher kernel for
// large-scale image classification", ECCV 2010). Like k-means, an EM step is "per-block sums, then a
// reduction in block order" (core/block_reduction.h, also across ranks sharing the rows), and the per-block
// densities are matrix products.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/core/matrix.h"
#include "featpipe/vocab/kmeans.h"

namespace featpipe::vocab {

struct Gmm {
  RowMatrix<float> means;      // k x d
  RowMatrix<float> variances;  // k x d, diagonal covariances
  Eigen::VectorXf weights;     // k, non-negative, sum 1
};

struct GmmParams {
  int k = 256;                    // components
  int max_iterations = 100;       // EM steps
  double tolerance = 1e-6;        // stop once the log-likelihood rises by less than this fraction of its size
  double variance_floor = 1e-4;   // no variance falls below this times the largest per-dimension variance
                                  // of the data (a component on a few identical rows would collapse)
  int init_iterations = 20;       // k-means iterations that seed the means (k-means++ first)
  std::size_t block_rows = 4096;  // rows per partial sum; fixes the reduction order
  uint64_t seed = 0;              // the k-means seeding
  std::function<void(int iteration, double log_likelihood)> on_iteration;  // progress: after each EM step
  // The ranks sharing the rows (core/collective.h); nullptr: this process alone. As KMeansParams::job: x is
  // this rank's rows, whole blocks in rank order, and every rank fits the same mixture, the bits of one
  // process holding every row.
  const Collective* job = nullptr;
};

/// k >= 1, max_iterations >= 1, tolerance >= 0, variance_floor > 0, init_iterations >= 1, block_rows >= 1.
std::optional<std::string> validate(const GmmParams& params);

struct GmmResult {
  Gmm gmm;
  std::vector<double> log_likelihood;  // per EM step: sum over rows of log p(x) under that step's parameters
  int iterations = 0;
};

/// k-means (k-means++ and init_iterations Lloyd steps), one M-step from the hard assignment, then EM.
/// Ensures: log_likelihood is non-decreasing up to rounding. Throws std::invalid_argument with validate()'s
/// message or when x (all ranks' rows) has fewer rows than k. With a job, each EM step is one block
/// reduction (core/block_reduction.h; gmm_iteration_bytes), after the k-means', two of d doubles per block
/// (the variance floor) and one of 2 k d + k doubles per block (the M-step of the hard assignment).
GmmResult fit_gmm(ConstMatrixView<float> x, const GmmParams& params);

/// What one EM step moves when n rows of d dimensions are shared among `size` ranks as rank_rows() cuts
/// them, records of 2 k d + k + 1 doubles (moments, mass, log-likelihood) per block reduced by
/// reduction_bytes' reduce-scatter. Nothing for one process.
ReductionBytes gmm_iteration_bytes(std::size_t n, std::size_t k, std::size_t d, std::size_t block_rows,
                                   int rank, int size);

/// Posterior probabilities of the components, prepared once per mixture for encoding many images.
class GmmPosteriors {
 public:
  explicit GmmPosteriors(const Gmm& gmm);
  /// out: x.rows() x k, each row summing to 1, computed in float. Returns the sum of log p(x) over the rows.
  /// Thread-safe.
  double compute(ConstMatrixView<float> x, MatrixView<float> out) const;

 private:
  RowMatrix<float> coeffs_;
  Eigen::RowVectorXf constant_;
};

}  // namespace featpipe::vocab
