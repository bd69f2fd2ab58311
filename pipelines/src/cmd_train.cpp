// featpipe train: a linear classifier on a feature store, written as a model store with its history.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

#include "commands.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/classify/store_source.h"
#include "featpipe/data/errors.h"
#include "featpipe/pipelines/progress.h"
#include "train_options.h"

namespace featpipe::pipelines {
namespace {

std::string expected_loss_text(const classify::LossParams& loss, int classes, double expected) {
  char text[96];
  switch (loss.kind) {
    case classify::LossKind::softmax:
      std::snprintf(text, sizeof text, "%.4f = ln %d", expected, classes);
      break;
    case classify::LossKind::mse:
      std::snprintf(text, sizeof text, "%.4f = |one-hot|^2", expected);
      break;
    default:
      std::snprintf(text, sizeof text, "%.4f = (K - 1) delta%s", expected,
                    loss.kind == classify::LossKind::squared_hinge ? "^2" : "");
  }
  return text;
}

}  // namespace

int run_train(const std::vector<std::string>& args) {
  po::options_description options("train options");
  std::string train_path, val_path, out;
  TrainArgs train_args;
  options.add_options()                                                                              //
      ("train", po::value(&train_path), "training feature store (.h5)")                              //
      ("val", po::value(&val_path), "validation feature store: accuracy per epoch, early stopping")  //
      ("out", po::value(&out), "output model (.h5)");
  add_train_options(options, train_args, true);
  CommonOptions common;
  auto vm =
      parse_command_line("train", "--train F.h5 [--val G.h5] [--loss L --reg R --optimizer O ...] --out M.h5",
                         args, options, {}, common);
  if (!vm) return 0;
  require(*vm, "train");
  require(*vm, "out");
  check_output_path(out, "--out");
  const classify::TrainParams p = train_params(train_args, common.seed);

  const auto start = std::chrono::steady_clock::now();
  const classify::StoreRowSource train(train_path);
  const FeatureSignature train_sig =
      signature(train_path, train.reader().provenance(), train.dim(), train.reader().class_names());
  std::optional<classify::StoreRowSource> val;
  std::optional<classify::LabelledRows> val_rows;
  if (!val_path.empty()) {
    val.emplace(val_path);
    check_same_features(
        train_sig, signature(val_path, val->reader().provenance(), val->dim(), val->reader().class_names()));
    val_rows = classify::LabelledRows{&*val, val->labels()};
  }
  const int classes = static_cast<int>(train_sig.class_names.size());
  if (p.early_stop > 0 && !val) throw InputError("--early-stop", "needs a validation store (--val)");

  std::printf("train: %llu rows x %llu features, %d classes, %s loss, %s %g, %s lr %g, %d epochs of %d\n",
              static_cast<unsigned long long>(train.rows()), static_cast<unsigned long long>(train.dim()),
              classes, train_args.loss.c_str(), train_args.reg.c_str(), p.reg.lambda,
              train_args.optimizer.c_str(), p.lr, p.epochs, p.batch);
  const uint64_t total_rows = p.iterations > 0 ? static_cast<uint64_t>(p.iterations) * p.batch
                                               : static_cast<uint64_t>(p.epochs) * train.rows();
  Progress progress("train", total_rows, common.quiet, "rows");
  classify::TrainObserver observer;
  observer.initial_loss = [&](double loss, double expected) {
    std::printf("initial loss %.4f (expected %s)\n", loss,
                expected_loss_text(p.loss, classes, expected).c_str());
    if (auto warning = classify::initial_loss_warning(loss, expected)) {
      std::fprintf(stderr, "featpipe: warning: %s\n", warning->c_str());
    }
    std::fflush(stdout);
  };
  observer.progress = [&](uint64_t rows) { progress.advance(rows); };
  observer.epoch_end = [&](const classify::EpochStats& e) {
    char val_text[32] = "-";
    if (e.val_acc >= 0) std::snprintf(val_text, sizeof val_text, "%.4f", e.val_acc);
    std::printf("epoch %3d  loss %.4f  train acc %.4f  val acc %s  lr %.3g  %.2f s\n", e.epoch, e.loss,
                e.train_acc, val_text, e.lr, e.seconds);
    std::fflush(stdout);
  };
  classify::TrainResult result =
      classify::train(p, {&train, train.labels()}, val_rows ? &*val_rows : nullptr, classes, observer);
  progress.finish();
  result.model.class_names = train_sig.class_names;

  nlohmann::json provenance =
      model_provenance("train", train_path, train.reader().provenance(), val_path,
                       val ? val->reader().provenance() : nlohmann::json(), p, result.history);
  provenance["result"]["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  classify::save_model(out, result.model, result.history, provenance);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("wrote %s: W [%llu, %d] in %.2f s%s\n", out.c_str(),
              static_cast<unsigned long long>(result.model.dim()), classes, seconds,
              result.history.stopped_early
                  ? (", stopped early; kept epoch " + std::to_string(result.history.best_epoch)).c_str()
                  : "");
  return 0;
}

}  // namespace featpipe::pipelines
