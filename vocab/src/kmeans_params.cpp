#include <cmath>

#include "featpipe/vocab/kmeans.h"

namespace featpipe::vocab {

std::size_t default_seed_trials(std::size_t k) {
  return 2 + static_cast<std::size_t>(std::log(static_cast<double>(std::max<std::size_t>(k, 1))));
}

std::optional<std::string> validate(const KMeansParams& params) {
  if (params.k < 1) return "k must be at least 1, got " + std::to_string(params.k);
  if (params.max_iterations < 1)
    return "iterations must be at least 1, got " + std::to_string(params.max_iterations);
  if (!(params.tolerance >= 0)) return "tolerance must be >= 0, got " + std::to_string(params.tolerance);
  if (params.block_rows < 1) return "block_rows must be at least 1";
  if (params.seed_trials < 0)
    return "seed trials must be >= 0 (0: 2 + ln k), got " + std::to_string(params.seed_trials);
  return std::nullopt;
}

ReductionBytes kmeans_iteration_bytes(std::size_t n, std::size_t k, std::size_t d, std::size_t block_rows,
                                      int rank, int size) {
  return reduction_bytes(n, block_rows, k * d + k + 1, rank, size);
}

}  // namespace featpipe::vocab
