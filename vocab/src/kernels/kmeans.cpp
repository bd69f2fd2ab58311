#include "featpipe/vocab/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "featpipe/core/parallel_blocks.h"
#include "featpipe/core/random.h"
#include "nearest_block.h"

namespace featpipe::vocab::FEATPIPE_ISA {
namespace {

// Blocks whose partial sums are held at once before being added in block order. A constant, not the thread
// count, so the order of the reduction (and so the rounding) never changes; it bounds the memory of the
// partial sums to kWaveBlocks * k * d doubles.
constexpr int64_t kWaveBlocks = 32;
// Rows per block of the k-means++ distance update (a fixed block order again).
constexpr std::size_t kSeedBlockRows = 4096;

struct BlockStats {
  std::vector<double> sums;     // k x d
  std::vector<int64_t> counts;  // k
  double energy = 0;
};

void check_input(ConstMatrixView<float> x, const KMeansParams& params) {
  if (auto error = validate(params)) throw std::invalid_argument("k-means: " + *error);
  if (x.rows() < params.k) {
    throw std::invalid_argument("k-means: " + std::to_string(x.rows()) + " descriptors cannot make " +
                                std::to_string(params.k) + " clusters; sample more descriptors or lower k");
  }
  if (x.cols() == 0) throw std::invalid_argument("k-means: descriptors have no dimensions");
}

/// Rows of x at sorted, distinct, seeded positions (all rows when m == rows).
RowMatrix<float> sample_rows(ConstMatrixView<float> x, std::size_t m, random::Generator& generator) {
  const std::size_t n = x.rows();
  if (m >= n) return x;
  const std::vector<int64_t> index = random::sample_sorted(n, m, generator);
  RowMatrix<float> sample(m, x.cols());
  for (std::size_t i = 0; i < m; ++i) sample.row(i) = x.row(index[i]);
  return sample;
}

/// Index of the row where the running sum of weights passes target (only rows of positive weight).
std::size_t pick_weighted(const std::vector<float>& weight, const std::vector<double>& block_sums,
                          double target) {
  std::size_t b = 0;
  while (b + 1 < block_sums.size() && target >= block_sums[b]) target -= block_sums[b++];
  const std::size_t end = std::min(weight.size(), (b + 1) * kSeedBlockRows);
  std::size_t last_positive = weight.size();
  for (std::size_t i = b * kSeedBlockRows; i < end; ++i) {
    if (weight[i] <= 0) continue;
    last_positive = i;
    if (target < weight[i]) return i;
    target -= weight[i];
  }
  if (last_positive != weight.size()) return last_positive;  // rounding ran past the block's last row
  const auto any = std::find_if(weight.begin(), weight.end(), [](float w) { return w > 0; });
  return static_cast<std::size_t>(any - weight.begin());
}

/// Moves each empty cluster onto a row far from its centre, farthest first (ties: lowest row).
int reseed_empty(ConstMatrixView<float> x, const std::vector<int64_t>& counts,
                 const std::vector<float>& distance, RowMatrix<float>& centres) {
  std::vector<int> empty;
  for (std::size_t j = 0; j < counts.size(); ++j)
    if (counts[j] == 0) empty.push_back(static_cast<int>(j));
  if (empty.empty()) return 0;
  std::vector<std::size_t> order(distance.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto farther = [&](std::size_t a, std::size_t b) {
    return distance[a] != distance[b] ? distance[a] > distance[b] : a < b;
  };
  std::partial_sort(order.begin(), order.begin() + empty.size(), order.end(), farther);
  for (std::size_t e = 0; e < empty.size(); ++e) centres.row(empty[e]) = x.row(order[e]);
  return static_cast<int>(empty.size());
}

}  // namespace

RowMatrix<float> kmeans_plus_plus(ConstMatrixView<float> x, const KMeansParams& params) {
  check_input(x, params);
  random::Generator generator(params.seed, random::Stream::kmeans_init);
  const std::size_t k = params.k;
  const std::size_t want = params.init_sample ? params.init_sample : 128 * k;
  const RowMatrix<float> s = sample_rows(x, std::max(k, want), generator);
  const std::size_t m = s.rows(), d = s.cols();

  const std::size_t trials = params.seed_trials > 0 ? params.seed_trials : default_seed_trials(k);
  RowMatrix<float> centres(k, d);
  std::vector<float> weight(m, std::numeric_limits<float>::infinity());
  const int64_t blocks = block_count(m, kSeedBlockRows);
  std::vector<double> block_sums(blocks), trial_sums(blocks * trials);
  std::vector<std::size_t> candidates(trials);
  // For the trials: ||x||^2 of every sample row, and the candidates as a matrix, so that a block's
  // distances to all of them are one product (||x||^2 + ||c||^2 - 2 x.c).
  const Eigen::VectorXf row_norms =
      trials > 1 ? Eigen::VectorXf(s.rowwise().squaredNorm()) : Eigen::VectorXf();
  RowMatrix<float> candidate_rows(trials, d);
  std::size_t pick = generator.below(m);
  for (std::size_t c = 0; c < k; ++c) {
    centres.row(c) = s.row(pick);
    if (c + 1 == k) break;
    const float* centre = &centres(c, 0);
    for_each_block(blocks, [&](int64_t b) {
      const std::size_t begin = b * kSeedBlockRows, end = std::min(m, begin + kSeedBlockRows);
      double sum = 0;
      for (std::size_t i = begin; i < end; ++i) {
        weight[i] = std::min(weight[i], squared_distance(&s(i, 0), centre, d));
        sum += weight[i];
      }
      block_sums[b] = sum;
    });
    const double total = std::accumulate(block_sums.begin(), block_sums.end(), 0.0);
    // Every row coincides with a seed: any row will do, Lloyd re-seeds the duplicate if it stays empty.
    if (!(total > 0)) {
      pick = generator.below(m);
      continue;
    }
    for (std::size_t& candidate : candidates)
      candidate = pick_weighted(weight, block_sums, generator.uniform() * total);
    if (trials == 1) {
      pick = candidates[0];
      continue;
    }
    // The candidate that would leave the smallest potential (sum of weights), summed per block, then in
    // block order; ties go to the first drawn.
    for (std::size_t t = 0; t < trials; ++t) candidate_rows.row(t) = s.row(candidates[t]);
    const Eigen::RowVectorXf candidate_norms = candidate_rows.rowwise().squaredNorm().transpose();
    for_each_block(blocks, [&](int64_t b) {
      const std::size_t begin = b * kSeedBlockRows, end = std::min(m, begin + kSeedBlockRows);
      const RowMatrix<float> dots = s.middleRows(begin, end - begin) * candidate_rows.transpose();
      double* sums = &trial_sums[b * trials];
      std::fill(sums, sums + trials, 0.0);
      for (std::size_t i = begin; i < end; ++i) {
        for (std::size_t t = 0; t < trials; ++t) {
          const float distance =
              std::max(0.0f, row_norms[i] + candidate_norms[t] - 2.0f * dots(i - begin, t));
          sums[t] += std::min(weight[i], distance);
        }
      }
    });
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t t = 0; t < trials; ++t) {
      double potential = 0;
      for (int64_t b = 0; b < blocks; ++b) potential += trial_sums[b * trials + t];
      if (potential < best) best = potential, pick = candidates[t];
    }
  }
  return centres;
}

KMeansResult kmeans_lloyd(ConstMatrixView<float> x, RowMatrix<float> centres, const KMeansParams& params) {
  check_input(x, params);
  if (centres.rows() != params.k || centres.cols() != x.cols()) {
    throw std::invalid_argument("k-means: initial centres are " + std::to_string(centres.rows()) + " x " +
                                std::to_string(centres.cols()) + ", expected " + std::to_string(params.k) +
                                " x " + std::to_string(x.cols()));
  }
  const std::size_t n = x.rows(), d = x.cols(), k = params.k, block = params.block_rows;
  const int64_t blocks = block_count(n, block);
  const int64_t wave = std::min(kWaveBlocks, blocks);

  KMeansResult result;
  result.centres = std::move(centres);
  std::vector<float> distance(n);
  std::vector<BlockStats> slots(wave);
  for (BlockStats& slot : slots) {
    slot.sums.resize(k * d);
    slot.counts.resize(k);
  }
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> sums(k, d);
  std::vector<int64_t> counts(k);

  for (int it = 0; it < params.max_iterations; ++it) {
    const PreparedCentres prepared(result.centres);
    sums.setZero();
    std::fill(counts.begin(), counts.end(), 0);
    double energy = 0;
    for (int64_t first = 0; first < blocks; first += wave) {
      const int64_t count = std::min(wave, blocks - first);
      for_each_block(count, [&](int64_t s) {
        thread_local std::vector<float> scratch;
        thread_local std::vector<int32_t> labels;
        BlockStats& slot = slots[s];
        const std::size_t begin = (first + s) * block, rows = std::min(block, n - begin);
        scratch.resize(std::min<std::size_t>(rows, kNearestTileRows) * k);
        labels.resize(rows);
        nearest_in_block(x.middleRows(begin, rows), prepared, scratch.data(), labels.data(),
                         &distance[begin]);
        std::fill(slot.sums.begin(), slot.sums.end(), 0.0);
        std::fill(slot.counts.begin(), slot.counts.end(), 0);
        slot.energy = 0;
        for (std::size_t i = 0; i < rows; ++i) {
          double* sum = &slot.sums[labels[i] * d];
          const float* row = x.row(begin + i).data();
#pragma omp simd
          for (std::size_t j = 0; j < d; ++j) sum[j] += row[j];
          ++slot.counts[labels[i]];
          slot.energy += distance[begin + i];
        }
      });
      for (int64_t s = 0; s < count; ++s) {
        sums += Eigen::Map<const decltype(sums)>(slots[s].sums.data(), k, d);
        for (std::size_t j = 0; j < k; ++j) counts[j] += slots[s].counts[j];
        energy += slots[s].energy;
      }
    }
    result.energy.push_back(energy);
    result.iterations = it + 1;
    if (params.on_iteration) params.on_iteration(it, energy);
    for (std::size_t j = 0; j < k; ++j) {
      if (counts[j] > 0) result.centres.row(j) = (sums.row(j) / static_cast<double>(counts[j])).cast<float>();
    }
    const int reseeded = reseed_empty(x, counts, distance, result.centres);
    result.reseeded += reseeded;
    // A re-seeded centre has not been tried yet, so a flat energy does not mean convergence.
    if (it > 0 && reseeded == 0 && result.energy[it - 1] - energy <= params.tolerance * energy) break;
  }
  return result;
}

KMeansResult kmeans(ConstMatrixView<float> x, const KMeansParams& params) {
  return FEATPIPE_ISA::kmeans_lloyd(x, FEATPIPE_ISA::kmeans_plus_plus(x, params), params);
}

}  // namespace featpipe::vocab::FEATPIPE_ISA
