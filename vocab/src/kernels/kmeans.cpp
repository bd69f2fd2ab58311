#include "featpipe/vocab/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "featpipe/core/block_reduction.h"
#include "featpipe/core/parallel_blocks.h"
#include "featpipe/core/random.h"
#include "nearest_block.h"

namespace featpipe::vocab::FEATPIPE_ISA {
namespace {

// Rows per block of the k-means++ distance update (a fixed block order again).
constexpr std::size_t kSeedBlockRows = 4096;

const Collective& job_of(const KMeansParams& params) { return params.job ? *params.job : single_process(); }

/// Where this rank's rows lie among the job's, after the checks that every rank makes alike.
RowShare checked_share(ConstMatrixView<float> x, const KMeansParams& params) {
  if (auto error = validate(params)) throw std::invalid_argument("k-means: " + *error);
  const RowShare share = share_rows(job_of(params), x.rows(), params.block_rows);
  if (share.rows < std::size_t(params.k)) {
    throw std::invalid_argument("k-means: " + std::to_string(share.rows) + " descriptors cannot make " +
                                std::to_string(params.k) + " clusters; sample more descriptors or lower k");
  }
  if (x.cols() == 0) throw std::invalid_argument("k-means: descriptors have no dimensions");
  return share;
}

/// The job's rows at sorted global positions, on every rank: each rank sends those it holds, so the rows
/// arrive in rank order, which is row order.
RowMatrix<float> gather_rows(const Collective& job, const RowShare& share, ConstMatrixView<float> x,
                             const std::vector<int64_t>& index) {
  const auto first = std::lower_bound(index.begin(), index.end(), int64_t(share.first_row));
  const auto last = std::lower_bound(first, index.end(), int64_t(share.first_row + share.local_rows));
  RowMatrix<float> mine(last - first, x.cols());
  for (auto i = first; i != last; ++i) mine.row(i - first) = x.row(*i - share.first_row);
  const std::vector<float> all = all_gather<float>(job, {mine.data(), std::size_t(mine.size())});
  return Eigen::Map<const RowMatrix<float>>(all.data(), index.size(), x.cols());
}

/// The job's rows at sorted, distinct, seeded positions (all rows when m >= rows), on every rank.
RowMatrix<float> sample_rows(const Collective& job, const RowShare& share, ConstMatrixView<float> x,
                             std::size_t m, random::Generator& generator) {
  if (m < share.rows) return gather_rows(job, share, x, random::sample_sorted(share.rows, m, generator));
  std::vector<int64_t> every(share.rows);
  std::iota(every.begin(), every.end(), int64_t{0});
  return gather_rows(job, share, x, every);
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

/// Moves each empty cluster onto a row far from its centre, the job's farthest first (ties: lowest row):
/// each rank sends its own farthest rows as (distance, row, values) records, and every rank picks the same.
int reseed_empty(const Collective& job, const RowShare& share, ConstMatrixView<float> x,
                 const std::vector<double>& counts, const std::vector<float>& distance,
                 RowMatrix<float>& centres) {
  std::vector<int> empty;
  for (std::size_t j = 0; j < counts.size(); ++j)
    if (counts[j] == 0) empty.push_back(static_cast<int>(j));
  if (empty.empty()) return 0;
  const std::size_t d = x.cols(), width = d + 2;
  std::vector<std::size_t> order(distance.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto farther = [&](std::size_t a, std::size_t b) {
    return distance[a] != distance[b] ? distance[a] > distance[b] : a < b;
  };
  const std::size_t mine = std::min(empty.size(), order.size());
  std::partial_sort(order.begin(), order.begin() + mine, order.end(), farther);
  std::vector<double> records(mine * width);
  for (std::size_t e = 0; e < mine; ++e) {
    double* record = &records[e * width];
    record[0] = distance[order[e]];
    record[1] = double(share.first_row + order[e]);
    Eigen::Map<Eigen::RowVectorXd>(record + 2, d) = x.row(order[e]).cast<double>();
  }
  // Every rank sends min(empty, its rows), so there are at least as many candidates as empty clusters.
  const std::vector<double> all = all_gather<double>(job, records);
  std::vector<std::size_t> candidates(all.size() / width);
  std::iota(candidates.begin(), candidates.end(), std::size_t{0});
  std::partial_sort(candidates.begin(), candidates.begin() + empty.size(), candidates.end(),
                    [&](std::size_t a, std::size_t b) {
                      const double* p = &all[a * width];
                      const double* q = &all[b * width];
                      return p[0] != q[0] ? p[0] > q[0] : p[1] < q[1];
                    });
  for (std::size_t e = 0; e < empty.size(); ++e) {
    centres.row(empty[e]) =
        Eigen::Map<const Eigen::RowVectorXd>(&all[candidates[e] * width + 2], d).cast<float>();
  }
  return static_cast<int>(empty.size());
}

}  // namespace

RowMatrix<float> kmeans_plus_plus(ConstMatrixView<float> x, const KMeansParams& params) {
  const RowShare share = checked_share(x, params);
  random::Generator generator(params.seed, random::Stream::kmeans_init);
  const std::size_t k = params.k;
  const std::size_t want = params.init_sample ? params.init_sample : 128 * k;
  const RowMatrix<float> s = sample_rows(job_of(params), share, x, std::max(k, want), generator);
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
  const RowShare share = checked_share(x, params);
  if (centres.rows() != params.k || centres.cols() != x.cols()) {
    throw std::invalid_argument("k-means: initial centres are " + std::to_string(centres.rows()) + " x " +
                                std::to_string(centres.cols()) + ", expected " + std::to_string(params.k) +
                                " x " + std::to_string(x.cols()));
  }
  const Collective& job = job_of(params);
  const std::size_t d = x.cols(), k = params.k;
  // A block's record: its sums (k x d), counts (k) and energy. Counts are doubles, exact below 2^53.
  const std::size_t width = k * d + k + 1;
  BlockReduction reduction(job, share, width);

  KMeansResult result;
  result.centres = std::move(centres);
  std::vector<float> distance(x.rows());
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> sums(k, d);
  std::vector<double> counts(k);

  for (int it = 0; it < params.max_iterations; ++it) {
    const PreparedCentres prepared(result.centres);
    sums.setZero();
    std::fill(counts.begin(), counts.end(), 0.0);
    double energy = 0;
    reduction.run(
        [&](int64_t b, double* record) {
          thread_local std::vector<float> scratch;
          thread_local std::vector<int32_t> labels;
          const auto [begin, rows] = share.block(b);
          scratch.resize(std::min<std::size_t>(rows, kNearestTileRows) * k);
          labels.resize(rows);
          nearest_in_block(x.middleRows(begin, rows), prepared, scratch.data(), labels.data(),
                           &distance[begin]);
          std::fill(record, record + width, 0.0);
          double* block_counts = record + k * d;
          double& block_energy = record[width - 1];
          for (std::size_t i = 0; i < rows; ++i) {
            double* sum = record + labels[i] * d;
            const float* row = x.row(begin + i).data();
#pragma omp simd
            for (std::size_t j = 0; j < d; ++j) sum[j] += row[j];
            block_counts[labels[i]] += 1;
            block_energy += distance[begin + i];
          }
        },
        [&](const double* record) {
          sums += Eigen::Map<const decltype(sums)>(record, k, d);
          for (std::size_t j = 0; j < k; ++j) counts[j] += record[k * d + j];
          energy += record[width - 1];
        });
    result.energy.push_back(energy);
    result.iterations = it + 1;
    if (params.on_iteration) params.on_iteration(it, energy);
    for (std::size_t j = 0; j < k; ++j) {
      if (counts[j] > 0) result.centres.row(j) = (sums.row(j) / counts[j]).cast<float>();
    }
    const int reseeded = reseed_empty(job, share, x, counts, distance, result.centres);
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
