// featpipe train: a linear classifier on a feature store, written as a model store with its history.
#include <cstdio>

#include "commands.h"
#include "featpipe/core/format.h"
#include "featpipe/pipelines/cli_observer.h"
#include "featpipe/pipelines/console.h"
#include "featpipe/pipelines/ranks.h"
#include "featpipe/pipelines/training.h"
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
  std::vector<std::string> train_paths, val_paths;
  std::string out;
  bool allow_overlap = false;
  int checkpoint_every = 0;
  bool resume = false;
  TrainArgs train_args;
  options.add_options()  //
      ("train", po::value(&train_paths),
       "training feature store (.h5); repeated: stores of the same images, their features side by side")  //
      ("val", po::value(&val_paths),
       "validation feature store: accuracy per epoch, early stopping (one per --train, same order)")  //
      ("allow-overlap", po::bool_switch(&allow_overlap),
       "accept a validation store that shows images of the training store")  //
      ("out", po::value(&out), "output model (.h5)")                         //
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
  check_output_path(out, "--out", option_paths({{"--train", train_paths}, {"--val", val_paths}}));
  const classify::TrainParams p = train_params(train_args, common.seed);
  const std::string checkpoint_path = out + ".checkpoint";
  int checkpoint_epoch = 0;
  CliObserver observer(common.quiet, [&] {
    if (checkpoint_epoch == 0) {
      return "no model was written; run the same command again" +
             std::string(checkpoint_every > 0 ? "" : " (with --checkpoint-every N to be able to resume)");
    }
    return "no model was written; " + checkpoint_path + " holds epoch " + std::to_string(checkpoint_epoch) +
           ": run the same command with --resume to continue from it";
  });
  classify::TrainObserver events;
  int classes = 0;
  events.initial_loss = [&](double loss, double expected) {
    std::printf("initial loss %.4f (expected %s)\n", loss,
                expected_loss_text(p.loss, classes, expected).c_str());
    if (auto warning = classify::initial_loss_warning(loss, expected)) notify(Notice::warning, *warning);
    std::fflush(stdout);
  };
  events.checkpoint = [&](const classify::TrainState& state) { checkpoint_epoch = state.epochs_done; };
  events.epoch_end = [&](const classify::EpochStats& e) {
    char val_text[32] = "-";
    if (e.val_acc >= 0) std::snprintf(val_text, sizeof val_text, "%.4f", e.val_acc);
    std::printf("epoch %3d  loss %.4f  train acc %.4f  val acc %s  lr %.3g  %.2f s\n", e.epoch, e.loss,
                e.train_acc, val_text, e.lr, e.seconds);
    std::fflush(stdout);
  };
  TrainStageOptions stage{val_paths, checkpoint_every, resume, nullptr};
  stage.allow_overlap = allow_overlap;
  stage.on_start = [&](const TrainStart& s) {
    classes = s.classes;
    if (resume && !s.resumed)
      notify(Notice::note, "no checkpoint " + checkpoint_path + "; training from the start");
    if (s.resumed) {
      checkpoint_epoch = s.resumed->epochs_done;
      std::printf("resuming from %s after epoch %d (iteration %lld)\n", checkpoint_path.c_str(),
                  s.resumed->epochs_done, static_cast<long long>(s.resumed->iteration));
    }
    std::printf("train: %llu rows x %llu features, %d classes, %s loss, %s %s, %s lr %s, %d epochs of %d\n",
                static_cast<unsigned long long>(s.rows), static_cast<unsigned long long>(s.dim), classes,
                train_args.loss.c_str(), train_args.reg.c_str(), format_number(p.reg.lambda).c_str(),
                train_args.optimizer.c_str(), format_number(p.lr).c_str(), p.epochs, p.batch);
  };
  const TrainStageResult done =
      train_store(train_paths, p, out, stage, events, observer, *ranks().collective);
  print_warnings(done.warnings);
  if (done.result.byte_divisor > 0) {
    std::printf("training rows held as bytes k (8-bit values k / %s)\n",
                format_number(done.result.byte_divisor).c_str());
  }
  std::printf("wrote %s: W [%llu, %d] in %.3f s%s\n", out.c_str(), static_cast<unsigned long long>(done.dim),
              done.classes, done.seconds,
              done.result.history.stopped_early
                  ? (", stopped early; kept epoch " + std::to_string(done.result.history.best_epoch)).c_str()
                  : "");
  return 0;
}

}  // namespace featpipe::pipelines
