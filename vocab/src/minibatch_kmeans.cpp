#include "featpipe/vocab/minibatch_kmeans.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "featpipe/core/random.h"
#include "featpipe/vocab/distances.h"

namespace featpipe::vocab {
namespace {

/// About `want` rows read as runs of run_rows consecutive rows starting at sorted random positions (runs
/// may overlap; all rows when want >= rows).
RowMatrix<float> read_runs(uint64_t rows, uint64_t dim, std::size_t want, std::size_t run_rows,
                           const RowReader& read, random::Generator& generator) {
  if (want >= rows) {
    RowMatrix<float> all(rows, dim);
    read(0, rows, all.data());
    return all;
  }
  const std::size_t run = std::min<std::size_t>(run_rows, rows);
  const std::size_t runs = (want + run - 1) / run;
  std::vector<uint64_t> start(runs);
  for (uint64_t& s : start) s = generator.below(rows - run + 1);
  std::sort(start.begin(), start.end());
  RowMatrix<float> batch(runs * run, dim);
  for (std::size_t r = 0; r < runs; ++r) read(start[r], run, batch.row(r * run).data());
  return batch;
}

}  // namespace

std::optional<std::string> validate(const MiniBatchParams& params) {
  if (params.k < 1) return "k must be at least 1, got " + std::to_string(params.k);
  if (params.batch_rows < 1) return "batch_rows must be at least 1";
  if (params.max_batches < 1) return "max_batches must be at least 1";
  if (params.patience < 1) return "patience must be at least 1";
  if (params.run_rows < 1) return "run_rows must be at least 1";
  return std::nullopt;
}

KMeansResult minibatch_kmeans(uint64_t rows, uint64_t dim, const RowReader& read,
                              const MiniBatchParams& params) {
  if (auto error = validate(params)) throw std::invalid_argument("mini-batch k-means: " + *error);
  const std::size_t k = params.k;
  if (rows < k) {
    throw std::invalid_argument("mini-batch k-means: " + std::to_string(rows) + " descriptors cannot make " +
                                std::to_string(k) + " clusters; sample more descriptors or lower k");
  }
  random::Generator generator(params.seed, random::Stream::kmeans_minibatch);
  KMeansParams seeding;
  seeding.k = params.k;
  seeding.seed = params.seed;
  const std::size_t init_rows = std::max(k, params.init_sample ? params.init_sample : 128 * k);
  const RowMatrix<float> sample = read_runs(rows, dim, init_rows, params.run_rows, read, generator);
  seeding.init_sample = sample.rows();

  KMeansResult result;
  result.centres = kmeans_plus_plus(sample, seeding);
  std::vector<double> seen(k, 0.0);
  // Smoothing of the batch energy over about two passes' worth of batches' share of the data, as
  // scikit-learn's MiniBatchKMeans; capped so a batch larger than the data does not overshoot.
  const double alpha = std::min(1.0, 2.0 * params.batch_rows / (double(rows) + 1));
  double smoothed = 0, best = std::numeric_limits<double>::infinity();
  int since_best = 0;
  std::vector<int32_t> label;
  std::vector<float> distance;
  RowMatrix<double> sums(k, dim);
  std::vector<double> counts(k);
  for (int step = 0; step < params.max_batches; ++step) {
    const RowMatrix<float> batch = read_runs(rows, dim, params.batch_rows, params.run_rows, read, generator);
    const std::size_t n = batch.rows();
    label.resize(n);
    distance.resize(n);
    nearest_centres(batch, result.centres, label.data(), distance.data());
    sums.setZero();
    std::fill(counts.begin(), counts.end(), 0.0);
    double energy = 0;
    for (std::size_t i = 0; i < n; ++i) {
      sums.row(label[i]) += batch.row(i).cast<double>();
      counts[label[i]] += 1;
      energy += distance[i];
    }
    energy /= double(n);
    for (std::size_t j = 0; j < k; ++j) {
      if (counts[j] == 0) continue;
      seen[j] += counts[j];
      // c + (sum - n c) / seen: the running mean of every row assigned to the centre so far.
      const Eigen::RowVectorXd c = result.centres.row(j).cast<double>();
      result.centres.row(j) = (c + (sums.row(j) - counts[j] * c) / seen[j]).cast<float>();
    }
    std::vector<std::size_t> never;
    for (std::size_t j = 0; j < k; ++j)
      if (seen[j] == 0) never.push_back(j);
    if (!never.empty()) {
      std::vector<std::size_t> order(n);
      std::iota(order.begin(), order.end(), std::size_t{0});
      const std::size_t moved = std::min(never.size(), n);
      std::partial_sort(order.begin(), order.begin() + moved, order.end(), [&](std::size_t a, std::size_t b) {
        return distance[a] != distance[b] ? distance[a] > distance[b] : a < b;
      });
      for (std::size_t e = 0; e < moved; ++e) result.centres.row(never[e]) = batch.row(order[e]);
      result.reseeded += static_cast<int>(moved);
    }
    smoothed = step == 0 ? energy : alpha * energy + (1 - alpha) * smoothed;
    result.energy.push_back(smoothed);
    result.iterations = step + 1;
    if (params.on_step) params.on_step(step, smoothed);
    if (smoothed < best) {
      best = smoothed;
      since_best = 0;
    } else if (++since_best >= params.patience) {
      break;
    }
  }
  return result;
}

}  // namespace featpipe::vocab
