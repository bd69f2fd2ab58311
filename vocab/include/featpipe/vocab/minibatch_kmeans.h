#pragma once
// Mini-batch k-means (Sculley, "Web-scale k-means clustering", WWW 2010) for descriptor samples that do not
// fit in memory: each step reads a random batch, assigns it with the blocked distance product and moves
// every centre towards the mean of its batch rows with a per-centre learning rate 1 / (rows it has seen), so
// a centre is the running mean of everything ever assigned to it.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "featpipe/vocab/kmeans.h"

namespace featpipe::vocab {

/// Rows [begin, begin + count) of an n x d matrix into out (count * d floats). Called from the calling
/// thread only, so it may read a store that is not thread-safe.
using RowReader = std::function<void(uint64_t begin, uint64_t count, float* out)>;

struct MiniBatchParams {
  int k = 256;                    // clusters
  std::size_t batch_rows = 8192;  // rows per step
  int max_batches = 500;          // steps
  int patience = 20;              // stop after this many steps without a new low of the smoothed batch energy
  std::size_t run_rows = 64;      // a batch is read as runs of this many consecutive rows at random places
                                  // (stores read fast by runs, not row by row)
  std::size_t init_sample = 0;    // rows read for the k-means++ seeding; 0: 128 * k
  uint64_t seed = 0;              // seeding, batch positions
  std::function<void(int step, double energy)> on_step;  // progress: after each step, its smoothed energy
};

/// k >= 1, batch_rows >= 1, max_batches >= 1, patience >= 1, run_rows >= 1.
std::optional<std::string> validate(const MiniBatchParams& params);

/// Clusters the rows x dim matrix behind `read`. KMeansResult::energy holds, per step, the exponentially
/// smoothed mean squared distance of a batch row to its nearest centre (before the step's update);
/// iterations counts steps; reseeded counts centres moved onto far batch rows because no row had yet been
/// assigned to them. Throws std::invalid_argument with validate()'s message or when rows < k.
KMeansResult minibatch_kmeans(uint64_t rows, uint64_t dim, const RowReader& read,
                              const MiniBatchParams& params);

}  // namespace featpipe::vocab
