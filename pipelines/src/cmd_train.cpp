// featpipe train: a linear classifier on a feature store, written as a model store with its history.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.h"
#include "featpipe/classify/checkpoint_io.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/classify/store_source.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/interrupt.h"
#include "featpipe/pipelines/progress.h"
#include "train_options.h"

namespace featpipe::pipelines {
namespace {

/// InputError unless the checkpoint was written by a run with the same options and data.
void check_same_run(const std::string& path, const nlohmann::json& saved, const nlohmann::json& now) {
  const nlohmann::json diff = nlohmann::json::diff(saved, now);
  if (diff.empty()) return;
  const std::string where = diff[0].value("path", std::string("/"));
  const nlohmann::json::json_pointer pointer(where);
  const std::string before = saved.contains(pointer) ? saved[pointer].dump() : "(none)";
  const std::string after = now.contains(pointer) ? now[pointer].dump() : "(none)";
  throw InputError(path, "was written by a different run (" + where.substr(1) + ": " + before + " then, " +
                             after + " now); drop --resume to start again, or remove it");
}

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
  int checkpoint_every = 0;
  bool resume = false;
  TrainArgs train_args;
  options.add_options()                                                                              //
      ("train", po::value(&train_path), "training feature store (.h5)")                              //
      ("val", po::value(&val_path), "validation feature store: accuracy per epoch, early stopping")  //
      ("out", po::value(&out), "output model (.h5)")                                                 //
      ("checkpoint-every", po::value(&checkpoint_every),
       "write a checkpoint (OUT.checkpoint) after every N epochs; removed once the model is written")  //
      ("resume", po::bool_switch(&resume),
       "continue from OUT.checkpoint when there is one (same options and data; bit-identical result)");
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
  if (checkpoint_every < 0) throw InputError("--checkpoint-every", "must be >= 0 (epochs)");
  const std::string checkpoint_path = out + ".checkpoint";

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
    val_rows = classify::LabelledRows{&*val, val->labels(), val_path};
  }
  const int classes = static_cast<int>(train_sig.class_names.size());
  if (p.early_stop > 0 && !val) throw InputError("--early-stop", "needs a validation store (--val)");

  // What a checkpoint must have been written by to be resumed here.
  const nlohmann::json run_info = {
      {"params", params_json(p)},
      {"train", std::filesystem::absolute(train_path).string()},
      {"train_rows", train.rows()},
      {"dim", train.dim()},
      {"val", val_path.empty() ? "" : std::filesystem::absolute(val_path).string()}};
  std::optional<classify::CheckpointFile> resumed;
  if (resume) {
    if (std::filesystem::exists(checkpoint_path)) {
      resumed = classify::load_checkpoint(checkpoint_path);
      check_same_run(checkpoint_path, resumed->run, run_info);
      std::printf("resuming from %s after epoch %d (iteration %lld)\n", checkpoint_path.c_str(),
                  resumed->state.epochs_done, static_cast<long long>(resumed->state.iteration));
    } else {
      std::fprintf(stderr, "featpipe: note: no checkpoint %s; training from the start\n",
                   checkpoint_path.c_str());
    }
  }
  int checkpoint_epoch = resumed ? resumed->state.epochs_done : 0;
  const auto interrupted_advice = [&] {
    if (checkpoint_epoch == 0) {
      return "no model was written; run the same command again" +
             std::string(checkpoint_every > 0 ? "" : " (with --checkpoint-every N to be able to resume)");
    }
    return "no model was written; " + checkpoint_path + " holds epoch " + std::to_string(checkpoint_epoch) +
           ": run the same command with --resume to continue from it";
  };

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
  observer.progress = [&](uint64_t rows) {
    if (const int signal = interrupt_signal()) throw Interrupted(signal, interrupted_advice());
    progress.advance(rows);
  };
  observer.checkpoint_every = checkpoint_every;
  observer.checkpoint = [&](const classify::TrainState& state) {
    classify::save_checkpoint(checkpoint_path, state, run_info);
    checkpoint_epoch = state.epochs_done;
  };
  observer.epoch_end = [&](const classify::EpochStats& e) {
    char val_text[32] = "-";
    if (e.val_acc >= 0) std::snprintf(val_text, sizeof val_text, "%.4f", e.val_acc);
    std::printf("epoch %3d  loss %.4f  train acc %.4f  val acc %s  lr %.3g  %.2f s\n", e.epoch, e.loss,
                e.train_acc, val_text, e.lr, e.seconds);
    std::fflush(stdout);
  };
  if (resumed) progress.advance(resumed->state.iteration * static_cast<uint64_t>(p.batch));
  classify::TrainResult result =
      classify::train(p, {&train, train.labels(), train_path}, val_rows ? &*val_rows : nullptr, classes,
                      observer, resumed ? &resumed->state : nullptr);
  progress.finish();
  if (result.byte_divisor > 0) {
    std::printf("training rows held as bytes k (8-bit values k / %g)\n", result.byte_divisor);
  }
  result.model.class_names = train_sig.class_names;

  nlohmann::json provenance =
      model_provenance("train", train_path, train.reader().provenance(), val_path,
                       val ? val->reader().provenance() : nlohmann::json(), p, result.history);
  provenance["result"]["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  classify::save_model(out, result.model, result.history, provenance);
  std::error_code ignored;
  std::filesystem::remove(checkpoint_path, ignored);  // the model supersedes it
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("wrote %s: W [%llu, %d] in %.3f s%s\n", out.c_str(),
              static_cast<unsigned long long>(result.model.dim()), classes, seconds,
              result.history.stopped_early
                  ? (", stopped early; kept epoch " + std::to_string(result.history.best_epoch)).c_str()
                  : "");
  return 0;
}

}  // namespace featpipe::pipelines
