// featpipe vocab: a visual vocabulary learned from a descriptor store (vocab::learn_vocabulary), shared
// among the ranks of an MPI job when started by a launcher (rank 0 writes it).

#include <chrono>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/cli_observer.h"
#include "featpipe/pipelines/console.h"
#include "featpipe/pipelines/ranks.h"
#include "featpipe/vocab/learn.h"

namespace featpipe::pipelines {
namespace {

struct VocabArgs {
  std::string descriptors, out, method = "kmeans", whiten = "none";
  int k = 256;
  int pca = 0;            // principal components kept, 0: none
  int iterations = 0;     // 0: the method's default
  double tolerance = -1;  // < 0: the method's default
  bool minibatch = false, patch_norm = false;
  std::size_t batch = 8192;
  std::size_t block = 4096;
  float zca_eps = 0.1f, patch_eps = 10.0f;
};

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
      ("block", po::value(&a.block)->default_value(a.block),
       "descriptors per block of every sum (fixes the rounding; MPI ranks read whole blocks)")  //
      ("whiten", po::value(&a.whiten)->default_value(a.whiten),
       "none | zca, learned and stored with the words")  //
      ("zca-eps", po::value(&a.zca_eps)->default_value(a.zca_eps, "0.1"),
       "added to the eigenvalues before ZCA")  //
      ("patch-norm", po::bool_switch(&a.patch_norm),
       "normalise each descriptor's mean and contrast first (patch(norm=1) already does)")  //
      ("patch-eps", po::value(&a.patch_eps)->default_value(a.patch_eps, "10"),
       "added to the variance by --patch-norm")  //
      ("pca", po::value(&a.pca)->default_value(a.pca),
       "project the descriptors on their D leading principal components before the words (0: none; "
       "learned and stored with them)")  //
      ("out", po::value(&a.out), "output vocabulary (.h5)");
  CommonOptions common;
  auto vm =
      parse_command_line("vocab", "--descriptors D.h5 --k K --method kmeans|gmm [--minibatch] --out V.h5",
                         args, options, {}, common);
  if (!vm) return 0;
  require(*vm, "descriptors");
  require(*vm, "out");
  check_output_path(a.out, "--out", {{"--descriptors", a.descriptors}});

  vocab::LearnOptions o;
  try {
    o.method = vocab::parse_vocab_method(a.method);
  } catch (const std::invalid_argument& e) {
    throw InputError("--method", e.what());
  }
  if (a.whiten != "none" && a.whiten != "zca") throw InputError("--whiten", "use none or zca");
  o.k = a.k;
  o.minibatch = a.minibatch;
  o.iterations = a.iterations;
  // -1, the default, leaves the method's own; a given value is bounded by the option schema (>= 0)
  o.tolerance = a.tolerance;
  o.batch = a.batch;
  o.block_rows = a.block;
  o.whitening.zca = a.whiten == "zca";
  o.whitening.zca_eps = a.zca_eps;
  o.whitening.normalize_patches = a.patch_norm;
  o.whitening.patch_eps = a.patch_eps;
  o.pca.dims = a.pca;
  o.seed = common.seed;
  o.job = ranks().collective;
  CliObserver observer(common.quiet);
  const auto start = std::chrono::steady_clock::now();
  const vocab::LearnedVocabulary learned = vocab::learn_vocabulary(a.descriptors, o, observer);
  const vocab::Vocabulary& v = learned.vocabulary;
  if (ranks().rank != 0) return 0;  // every rank holds the same vocabulary; rank 0 writes it
  // the time, as extract records its own, for the stage times of the compare report
  nlohmann::json provenance = learned.provenance;
  provenance["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  vocab::save_vocabulary(a.out, v, provenance);
  const std::string what = v.method == vocab::VocabMethod::gmm ? "log-likelihood " : "energy ";
  notify(Notice::info,
         a.method + (a.minibatch ? " (mini-batch)" : "") + " k=" + std::to_string(a.k) + ": " +
             std::to_string(learned.iterations) + " iterations, " + what +
             format_significant(v.history.front(), 6) + " -> " + format_significant(v.history.back(), 6) +
             ", mean squared distance to the nearest word " + format_significant(v.distortion, 6));
  notify(Notice::info, "wrote " + a.out + ": " + std::to_string(v.k()) + " words of " +
                           std::to_string(v.dim()) + "-d " + v.descriptor +
                           (o.whitening.zca ? " (ZCA-whitened)" : "") +
                           (v.pca.identity() ? "" : " (PCA from " + std::to_string(v.input_dim()) + "-d)"));
  return 0;
}

}  // namespace featpipe::pipelines
