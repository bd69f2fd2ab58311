#include "featpipe/vocab/learn.h"

#include <algorithm>
#include <functional>

#include "featpipe/core/block_reduction.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/parallel_blocks.h"
#include "featpipe/data/store.h"
#include "featpipe/vocab/distances.h"
#include "featpipe/vocab/gmm.h"
#include "featpipe/vocab/kmeans.h"
#include "featpipe/vocab/minibatch_kmeans.h"

namespace featpipe::vocab {
namespace {

// Rows the mini-batch path reads (as evenly spaced runs) to learn the whitening and measure the distortion.
constexpr uint64_t kMiniBatchSampleRows = 100000;
constexpr uint64_t kSampleRunRows = 64;

/// Evenly spaced runs of rows of /features, about `want` rows in all (every row when want >= rows).
RowMatrix<float> spaced_sample(const data::StoreReader& r, uint64_t rows, uint64_t dim, uint64_t want) {
  if (want >= rows) {
    RowMatrix<float> all(rows, dim);
    r.read_rows("/features", 0, rows, all.data());
    return all;
  }
  const uint64_t runs = (want + kSampleRunRows - 1) / kSampleRunRows;
  RowMatrix<float> sample(runs * kSampleRunRows, dim);
  for (uint64_t i = 0; i < runs; ++i) {
    const uint64_t begin = i * (rows - kSampleRunRows) / std::max<uint64_t>(1, runs - 1);
    r.read_rows("/features", begin, kSampleRunRows, sample.row(i * kSampleRunRows).data());
  }
  return sample;
}

/// The mean over the job's rows of the squared distance to the nearest centre, summed per block, then in
/// block order.
double mean_distortion(const Collective& job, ConstMatrixView<float> x, const RowMatrix<float>& centres,
                       std::size_t block_rows) {
  const RowShare share = share_rows(job, x.rows(), block_rows);
  double sum = 0;
  BlockReduction(job, share, 1)
      .run(
          [&](int64_t b, double* record) {
            thread_local std::vector<int32_t> label;
            thread_local std::vector<float> distance;
            const auto [begin, rows] = share.block(b);
            label.resize(rows);
            distance.resize(rows);
            nearest_centres(x.middleRows(begin, rows), centres, label.data(), distance.data());
            *record = 0;
            for (float d : distance) *record += d;
          },
          [&](const double* record) { sum += *record; });
  return sum / double(share.rows);
}

/// The whitening applied to each block of rows apart: a row's rounding in the transform's product depends
/// on its place in the product, which is then the same for every number of ranks.
void whiten_blocks(const Whitening& whitening, MatrixView<float> x, std::size_t block_rows) {
  for_each_block(block_count(x.rows(), block_rows), [&](int64_t b) {
    const std::size_t begin = b * block_rows;
    whitening.apply(x.middleRows(begin, std::min<std::size_t>(block_rows, x.rows() - begin)));
  });
}

/// The projection of each block of rows apart, for the same reason.
RowMatrix<float> project_blocks(const Pca& pca, ConstMatrixView<float> x, std::size_t block_rows) {
  RowMatrix<float> out(x.rows(), pca.output_dim());
  for_each_block(block_count(x.rows(), block_rows), [&](int64_t b) {
    const std::size_t begin = b * block_rows, rows = std::min<std::size_t>(block_rows, x.rows() - begin);
    pca.project(x.middleRows(begin, rows), out.middleRows(begin, rows));
  });
  return out;
}

/// --pca must reduce the descriptors' width.
void check_pca_width(const LearnOptions& o, uint64_t dim) {
  if (o.pca.dims > 0 && uint64_t(o.pca.dims) >= dim) {
    throw InputError("--pca", std::to_string(o.pca.dims) + " components must be fewer than the " +
                                  std::to_string(dim) + " dimensions of the descriptors");
  }
}

std::string label_of(const LearnOptions& o) {
  return to_string(o.method) + (o.minibatch ? " (mini-batch)" : "") + " k=" + std::to_string(o.k);
}

/// The per-iteration callback of the clustering methods: the observer's step and chance to stop.
std::function<void(int, double)> observed_step(StageObserver& observer) {
  return [&observer](int, double) {
    observer.checkpoint();
    observer.advance();
  };
}

/// k-means or GMM parameters from the options (their own defaults where the options leave them), with the
/// observer's phase begun and its step as the per-iteration callback.
template <typename Params>
Params iteration_params(const LearnOptions& o, StageObserver& observer) {
  Params p;
  p.k = o.k;
  p.max_iterations = o.iterations > 0 ? o.iterations : p.max_iterations;
  p.tolerance = o.tolerance >= 0 ? o.tolerance : p.tolerance;
  p.seed = o.seed;
  p.block_rows = o.block_rows;
  p.job = o.job;
  observer.begin(label_of(o), p.max_iterations, "it");
  p.on_iteration = observed_step(observer);
  return p;
}

template <typename Params>
nlohmann::json iteration_provenance(const Params& p, int iterations) {
  return {{"iterations", iterations}, {"max_iterations", p.max_iterations}, {"tolerance", p.tolerance}};
}

LearnedVocabulary learn_minibatch(const data::StoreReader& r, uint64_t rows, uint64_t dim, Vocabulary v,
                                  const LearnOptions& o, StageObserver& observer) {
  RowMatrix<float> sample = spaced_sample(r, rows, dim, kMiniBatchSampleRows);
  v.whitening = Whitening::learn(sample, o.whitening, single_process(), o.block_rows);
  if (!v.whitening.identity()) v.whitening.apply(sample);
  v.pca = Pca::learn(sample, o.pca, single_process(), o.block_rows);
  if (!v.pca.identity()) sample = project_blocks(v.pca, sample, o.block_rows);
  MiniBatchParams p;
  p.k = o.k;
  p.batch_rows = o.batch;
  p.max_batches = o.iterations > 0 ? o.iterations : p.max_batches;
  p.seed = o.seed;
  observer.begin(label_of(o), p.max_batches, "steps");
  p.on_step = observed_step(observer);
  const RowReader read = [&](uint64_t begin, uint64_t count, float* out) {
    if (v.pca.identity()) {
      r.read_rows("/features", begin, count, out);
      Eigen::Map<RowMatrix<float>> block(out, count, dim);
      if (!v.whitening.identity()) v.whitening.apply(block);
      return;
    }
    // The batch is read at the descriptors' width and handed on at the projection's.
    thread_local RowMatrix<float> block;
    block.resize(count, dim);
    r.read_rows("/features", begin, count, block.data());
    if (!v.whitening.identity()) v.whitening.apply(block);
    Eigen::Map<RowMatrix<float>> projected(out, count, v.pca.output_dim());
    v.pca.project(block, projected);
  };
  const KMeansResult result = minibatch_kmeans(rows, v.pca.identity() ? dim : v.pca.output_dim(), read, p);
  observer.end();
  v.centres = result.centres;
  v.history = result.energy;
  v.distortion = mean_distortion(single_process(), sample, v.centres, o.block_rows);
  LearnedVocabulary learned{std::move(v), nlohmann::json::object(), result.iterations};
  learned.provenance = {{"iterations", result.iterations},
                        {"max_iterations", p.max_batches},
                        {"batch_rows", p.batch_rows},
                        {"block_rows", o.block_rows},
                        {"reseeded", result.reseeded}};
  return learned;
}

}  // namespace

std::optional<std::string> validate(const LearnOptions& o) {
  if (o.minibatch && o.method != VocabMethod::kmeans)
    return "--minibatch: is for --method kmeans; a GMM is fitted on a sample in memory";
  if (o.k < 1) return "--k: must be at least 1";
  if (o.iterations < 0) return "--iterations: must be at least 1";
  if (o.batch < 1) return "--batch: must be at least 1";
  if (o.block_rows < 1) return "--block: must be at least 1";
  if (auto error = validate(o.whitening))
    return std::string(o.whitening.normalize_patches ? "--patch-eps" : "--zca-eps") + ": " + *error;
  if (auto error = validate(o.pca)) return "--pca: " + *error;
  if (o.pca.dims > 0 && o.whitening.zca) {
    return "--pca: ZCA whitening leaves every direction the same variance, so PCA has none to prefer; "
           "use --whiten zca or --pca, not both";
  }
  return std::nullopt;
}

LearnedVocabulary learn_vocabulary(RowMatrix<float>& x, const std::string& descriptor,
                                   const nlohmann::json& descriptor_provenance, const LearnOptions& o,
                                   StageObserver& observer) {
  if (auto error = validate(o)) throw_option_error(*error);
  if (o.minibatch) throw std::invalid_argument("learn_vocabulary: mini-batch k-means reads from a store");
  check_pca_width(o, x.cols());
  const Collective& job = o.job ? *o.job : single_process();
  const std::size_t rows = share_rows(job, x.rows(), o.block_rows).rows;
  if (rows < std::size_t(o.k)) {
    throw InputError("--k", std::to_string(o.k) + " words need at least as many descriptors; there are " +
                                std::to_string(rows) + " (sample more or lower --k)");
  }
  Vocabulary v;
  v.method = o.method;
  v.descriptor = descriptor;
  v.descriptor_provenance = descriptor_provenance;
  v.whitening = Whitening::learn(x, o.whitening, job, o.block_rows);
  if (!v.whitening.identity()) whiten_blocks(v.whitening, x, o.block_rows);
  v.pca = Pca::learn(x, o.pca, job, o.block_rows);
  if (!v.pca.identity()) x = project_blocks(v.pca, x, o.block_rows);
  LearnedVocabulary learned;
  if (o.method == VocabMethod::kmeans) {
    KMeansParams p = iteration_params<KMeansParams>(o, observer);
    const KMeansResult result = kmeans(x, p);
    observer.end();
    v.centres = result.centres;
    v.history = result.energy;
    learned.iterations = result.iterations;
    learned.provenance = iteration_provenance(p, result.iterations);
    learned.provenance["reseeded"] = result.reseeded;
  } else {
    GmmParams p = iteration_params<GmmParams>(o, observer);
    const GmmResult result = fit_gmm(x, p);
    observer.end();
    v.centres = result.gmm.means;
    v.variances = result.gmm.variances;
    v.weights = result.gmm.weights;
    v.history = result.log_likelihood;
    learned.iterations = result.iterations;
    learned.provenance = iteration_provenance(p, result.iterations);
    learned.provenance["variance_floor"] = p.variance_floor;
  }
  v.distortion = mean_distortion(job, x, v.centres, o.block_rows);
  learned.vocabulary = std::move(v);
  learned.provenance["seed"] = o.seed;
  learned.provenance["rows"] = rows;
  learned.provenance["block_rows"] = o.block_rows;
  learned.provenance["minibatch"] = false;
  return learned;
}

LearnedVocabulary learn_vocabulary(const std::string& descriptors, const LearnOptions& o,
                                   StageObserver& observer) {
  if (auto error = validate(o)) throw_option_error(*error);
  const data::StoreReader r(descriptors);
  if (r.kind() != "descriptors") {
    throw InputError(descriptors,
                     "is a '" + r.kind() + "' store, not descriptors; make one with `featpipe descriptors`");
  }
  const nlohmann::json dp = r.provenance();
  if (!dp.contains("descriptor") || !dp["descriptor"].is_string()) {
    throw InputError(descriptors,
                     "provenance names no descriptor spec; it was not written by featpipe descriptors");
  }
  const data::DatasetInfo info = r.info("/features");
  if (info.shape.size() != 2 || info.shape[0] == 0)
    throw InputError(descriptors, "/features holds no descriptors");
  const uint64_t rows = info.shape[0], dim = info.shape[1];
  check_pca_width(o, dim);
  if (rows < uint64_t(o.k)) {
    throw InputError("--k", std::to_string(o.k) + " words need at least as many descriptors; " + descriptors +
                                " has " + std::to_string(rows) + " (sample more or lower --k)");
  }
  LearnedVocabulary learned;
  if (o.minibatch) {
    Vocabulary v;
    v.method = o.method;
    v.descriptor = dp["descriptor"].get<std::string>();
    v.descriptor_provenance = dp;
    learned = learn_minibatch(r, rows, dim, std::move(v), o, observer);
    learned.provenance["seed"] = o.seed;
    learned.provenance["rows"] = rows;
    learned.provenance["minibatch"] = true;
  } else {
    const Collective& job = o.job ? *o.job : single_process();
    const auto [begin, end] = rank_rows(rows, o.block_rows, job.rank(), job.size());
    RowMatrix<float> x(end - begin, dim);
    if (end > begin) r.read_rows("/features", begin, end - begin, x.data());
    learned = learn_vocabulary(x, dp["descriptor"].get<std::string>(), dp, o, observer);
  }
  learned.provenance["command"] = "vocab";
  learned.provenance["descriptors_path"] = descriptors;
  return learned;
}

}  // namespace featpipe::vocab
