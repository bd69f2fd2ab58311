// featpipe vocab: a visual vocabulary (k-means centres or a diagonal GMM) learned from a descriptor store,
// with the whitening the descriptors need and the descriptor spec recorded, so encoding can never use
// another descriptor.
#include <cstdio>
#include <functional>
#include <optional>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/data/store.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/interrupt.h"
#include "featpipe/pipelines/progress.h"
#include "featpipe/vocab/distances.h"
#include "featpipe/vocab/gmm.h"
#include "featpipe/vocab/kmeans.h"
#include "featpipe/vocab/minibatch_kmeans.h"
#include "featpipe/vocab/vocabulary.h"

namespace featpipe::pipelines {
namespace {

// Rows the mini-batch path reads (as evenly spaced runs) to learn the whitening and measure the distortion.
constexpr uint64_t kMiniBatchSampleRows = 100000;
constexpr uint64_t kSampleRunRows = 64;

struct VocabArgs {
  std::string descriptors, out, method = "kmeans", whiten = "none";
  int k = 256;
  int iterations = 0;     // 0: the method's default
  double tolerance = -1;  // < 0: the method's default
  bool minibatch = false, patch_norm = false;
  std::size_t batch = 8192;
  float zca_eps = 0.1f, patch_eps = 10.0f;
};

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

double mean_distortion(const RowMatrix<float>& x, const RowMatrix<float>& centres) {
  std::vector<int32_t> label(x.rows());
  std::vector<float> distance(x.rows());
  vocab::nearest_centres(x, centres, label.data(), distance.data());
  double sum = 0;
  for (float d : distance) sum += d;
  return sum / double(x.rows());
}

std::string format_value(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

/// The per-iteration callback of the clustering methods: stops on SIGINT / SIGTERM between iterations and
/// advances the progress line.
std::function<void(int, double)> interruptible_step(Progress& progress) {
  return [&progress](int, double) {
    throw_if_interrupted();
    progress.advance();
  };
}

}  // namespace

int run_vocab(const std::vector<std::string>& args) {
  po::options_description options("vocab options");
  VocabArgs a;
  options.add_options()                                                                                   //
      ("descriptors", po::value(&a.descriptors), "descriptor store from `featpipe descriptors` (.h5)")    //
      ("k", po::value(&a.k)->default_value(a.k), "words (clusters / mixture components)")                 //
      ("method", po::value(&a.method)->default_value(a.method), "kmeans | gmm (for fisher encoding)")     //
      ("minibatch", po::bool_switch(&a.minibatch), "mini-batch k-means, reading batches from the store")  //
      ("iterations", po::value(&a.iterations),
       "Lloyd iterations / EM steps (default 100) or mini-batch steps (default 500)")  //
      ("tolerance", po::value(&a.tolerance),
       "stop when the energy (log-likelihood) changes by less than this fraction (default 1e-4; gmm 1e-6)")  //
      ("batch", po::value(&a.batch)->default_value(a.batch), "rows per mini-batch step")  //
      ("whiten", po::value(&a.whiten)->default_value(a.whiten),
       "none | zca, learned and stored with the words")  //
      ("zca-eps", po::value(&a.zca_eps)->default_value(a.zca_eps, "0.1"),
       "added to the eigenvalues before ZCA")  //
      ("patch-norm", po::bool_switch(&a.patch_norm),
       "normalise each descriptor's mean and contrast first (patch(norm=1) already does)")  //
      ("patch-eps", po::value(&a.patch_eps)->default_value(a.patch_eps, "10"),
       "added to the variance by --patch-norm")  //
      ("out", po::value(&a.out), "output vocabulary (.h5)");
  CommonOptions common;
  auto vm =
      parse_command_line("vocab", "--descriptors D.h5 --k K --method kmeans|gmm [--minibatch] --out V.h5",
                         args, options, {}, common);
  if (!vm) return 0;
  require(*vm, "descriptors");
  require(*vm, "out");
  check_output_path(a.out, "--out");

  vocab::Vocabulary v;
  try {
    v.method = vocab::parse_vocab_method(a.method);
  } catch (const std::invalid_argument& e) {
    throw InputError("--method", e.what());
  }
  if (a.minibatch && v.method != vocab::VocabMethod::kmeans) {
    throw InputError("--minibatch", "is for --method kmeans; a GMM is fitted on a sample in memory");
  }
  if (a.k < 1) throw InputError("--k", "must be at least 1");
  if (a.iterations < 0) throw InputError("--iterations", "must be at least 1");
  if (a.batch < 1) throw InputError("--batch", "must be at least 1");
  if (a.whiten != "none" && a.whiten != "zca") throw InputError("--whiten", "use none or zca");
  vocab::WhiteningParams wp;
  wp.zca = a.whiten == "zca";
  wp.zca_eps = a.zca_eps;
  wp.normalize_patches = a.patch_norm;
  wp.patch_eps = a.patch_eps;
  if (auto error = vocab::validate(wp)) throw InputError(a.patch_norm ? "--patch-eps" : "--zca-eps", *error);

  const data::StoreReader r(a.descriptors);
  if (r.kind() != "descriptors") {
    throw InputError(a.descriptors,
                     "is a '" + r.kind() + "' store, not descriptors; make one with `featpipe descriptors`");
  }
  const nlohmann::json dp = r.provenance();
  if (!dp.contains("descriptor") || !dp["descriptor"].is_string()) {
    throw InputError(a.descriptors,
                     "provenance names no descriptor spec; it was not written by featpipe descriptors");
  }
  v.descriptor = dp["descriptor"].get<std::string>();
  v.descriptor_provenance = dp;
  const data::DatasetInfo info = r.info("/features");
  if (info.shape.size() != 2 || info.shape[0] == 0)
    throw InputError(a.descriptors, "/features holds no descriptors");
  const uint64_t rows = info.shape[0], dim = info.shape[1];
  if (rows < uint64_t(a.k)) {
    throw InputError("--k", std::to_string(a.k) + " words need at least as many descriptors; " +
                                a.descriptors + " has " + std::to_string(rows) +
                                " (sample more or lower --k)");
  }

  nlohmann::json provenance = {{"command", "vocab"},
                               {"descriptors_path", a.descriptors},
                               {"seed", common.seed},
                               {"rows", rows},
                               {"minibatch", a.minibatch}};
  const std::string label = a.method + (a.minibatch ? " (mini-batch)" : "") + " k=" + std::to_string(a.k);
  const auto whiten_rows = [&](RowMatrix<float>& x) {
    if (!v.whitening.identity()) v.whitening.apply(x);
  };
  if (a.minibatch) {
    RowMatrix<float> sample = spaced_sample(r, rows, dim, kMiniBatchSampleRows);
    v.whitening = vocab::Whitening::learn(sample, wp);
    whiten_rows(sample);
    vocab::MiniBatchParams p;
    p.k = a.k;
    p.batch_rows = a.batch;
    p.max_batches = a.iterations > 0 ? a.iterations : p.max_batches;
    p.seed = common.seed;
    Progress progress(label, p.max_batches, common.quiet, "steps");
    p.on_step = interruptible_step(progress);
    const vocab::RowReader read = [&](uint64_t begin, uint64_t count, float* out) {
      r.read_rows("/features", begin, count, out);
      Eigen::Map<RowMatrix<float>> block(out, count, dim);
      if (!v.whitening.identity()) v.whitening.apply(block);
    };
    const vocab::KMeansResult result = vocab::minibatch_kmeans(rows, dim, read, p);
    progress.finish();
    v.centres = result.centres;
    v.history = result.energy;
    v.distortion = mean_distortion(sample, v.centres);
    provenance["iterations"] = result.iterations;
    provenance["max_iterations"] = p.max_batches;
    provenance["batch_rows"] = p.batch_rows;
    provenance["reseeded"] = result.reseeded;
  } else {
    RowMatrix<float> x(rows, dim);
    r.read_rows("/features", 0, rows, x.data());
    v.whitening = vocab::Whitening::learn(x, wp);
    whiten_rows(x);
    if (v.method == vocab::VocabMethod::kmeans) {
      vocab::KMeansParams p;
      p.k = a.k;
      p.max_iterations = a.iterations > 0 ? a.iterations : p.max_iterations;
      p.tolerance = a.tolerance >= 0 ? a.tolerance : p.tolerance;
      p.seed = common.seed;
      Progress progress(label, p.max_iterations, common.quiet, "it");
      p.on_iteration = interruptible_step(progress);
      const vocab::KMeansResult result = vocab::kmeans(x, p);
      progress.finish();
      v.centres = result.centres;
      v.history = result.energy;
      provenance["iterations"] = result.iterations;
      provenance["max_iterations"] = p.max_iterations;
      provenance["tolerance"] = p.tolerance;
      provenance["reseeded"] = result.reseeded;
    } else {
      vocab::GmmParams p;
      p.k = a.k;
      p.max_iterations = a.iterations > 0 ? a.iterations : p.max_iterations;
      p.tolerance = a.tolerance >= 0 ? a.tolerance : p.tolerance;
      p.seed = common.seed;
      Progress progress(label, p.max_iterations, common.quiet, "it");
      p.on_iteration = interruptible_step(progress);
      const vocab::GmmResult result = vocab::fit_gmm(x, p);
      progress.finish();
      v.centres = result.gmm.means;
      v.variances = result.gmm.variances;
      v.weights = result.gmm.weights;
      v.history = result.log_likelihood;
      provenance["iterations"] = result.iterations;
      provenance["max_iterations"] = p.max_iterations;
      provenance["tolerance"] = p.tolerance;
      provenance["variance_floor"] = p.variance_floor;
    }
    v.distortion = mean_distortion(x, v.centres);
  }
  vocab::save_vocabulary(a.out, v, provenance);
  const std::string what = v.method == vocab::VocabMethod::gmm ? "log-likelihood " : "energy ";
  log_line(common, label + ": " + std::to_string(provenance["iterations"].get<int>()) + " iterations, " +
                       what + format_value(v.history.front()) + " -> " + format_value(v.history.back()) +
                       ", mean squared distance to the nearest word " + format_value(v.distortion));
  log_line(common, "wrote " + a.out + ": " + std::to_string(v.k()) + " words of " + std::to_string(dim) +
                       "-d " + v.descriptor + (wp.zca ? " (ZCA-whitened)" : ""));
  return 0;
}

}  // namespace featpipe::pipelines
