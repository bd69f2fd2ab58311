// featpipe sweep: a learning-rate x lambda grid (log-spaced) trained on one training store and ranked by
// accuracy on a validation store. The stores are read and standardised once and shared by all runs; runs
// are spread over the threads, one thread each, so every run equals `featpipe train` with its values.
#include <cmath>
#include <cstdio>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/pipelines/cli_observer.h"
#include "featpipe/pipelines/ranks.h"
#include "featpipe/pipelines/training.h"
#include "train_options.h"

namespace featpipe::pipelines {
namespace {

struct Range {
  double low = 0, high = 0;
};

Range parse_range(const std::string& text, const std::string& option) {
  const std::size_t colon = text.find(':');
  Range r;
  try {
    std::size_t used_low = 0, used_high = 0;
    if (colon == std::string::npos) throw std::invalid_argument("no colon");
    r.low = std::stod(text.substr(0, colon), &used_low);
    r.high = std::stod(text.substr(colon + 1), &used_high);
    if (used_low != colon || used_high != text.size() - colon - 1)
      throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw InputError(option, "'" + text + "' is not LOW:HIGH (e.g. 1e-4:1e-1)");
  }
  if (!(r.low > 0) || !(r.high >= r.low) || !std::isfinite(r.high)) {
    throw InputError(option, "'" + text + "' must satisfy 0 < LOW <= HIGH (the grid is log-spaced)");
  }
  return r;
}

}  // namespace

/// Each run trains a model and is kept until the best is chosen: a grid beyond this is a mistake (it took
/// gigabytes before training began).
constexpr int kMaxSweepRuns = 10000;

int run_sweep(const std::vector<std::string>& args) {
  po::options_description options("sweep options");
  std::vector<std::string> train_paths, val_paths;
  std::string out, lr_range = "1e-4:1e-1", lambda_range = "1e-6:1e-2";
  bool allow_overlap = false;
  int steps = 4, lr_steps = 0, lambda_steps = 0;
  TrainArgs train_args;
  options.add_options()  //
      ("train", po::value(&train_paths),
       "training feature store (.h5); repeated: stores of the same images, their features side by side")  //
      ("val", po::value(&val_paths),
       "validation feature store (.h5), one per --train in the same order: runs are ranked by its accuracy; "
       "among equal accuracies the smaller lr, then the larger lambda, ranks first")  //
      ("allow-overlap", po::bool_switch(&allow_overlap),
       "accept a validation store that shows images of the training store")                               //
      ("out", po::value(&out), "the best run's model (.h5)")                                              //
      ("lr-range", po::value(&lr_range)->default_value(lr_range), "learning rates LOW:HIGH, log-spaced")  //
      ("lambda-range", po::value(&lambda_range)->default_value(lambda_range),
       "lambdas LOW:HIGH, log-spaced")                                                          //
      ("steps", po::value(&steps)->default_value(steps), "grid points per range")               //
      ("lr-steps", po::value(&lr_steps), "grid points of the learning rate (default --steps)")  //
      ("lambda-steps", po::value(&lambda_steps), "grid points of lambda (default --steps)");
  add_train_options(options, train_args, false);
  CommonOptions common;
  auto vm = parse_command_line(
      "sweep", "--train F.h5 --val G.h5 --lr-range A:B --lambda-range C:D --steps N --out M.h5", args,
      options, {}, common);
  if (!vm) return 0;
  require(*vm, "train");
  require(*vm, "val");
  require(*vm, "out");
  check_output_path(out, "--out", option_paths({{"--train", train_paths}, {"--val", val_paths}}));
  if (!vm->count("lr-steps")) lr_steps = steps;
  if (!vm->count("lambda-steps")) lambda_steps = steps;
  if (lr_steps * lambda_steps > kMaxSweepRuns) {
    throw InputError("--lr-steps/--lambda-steps",
                     std::to_string(lr_steps) + " x " + std::to_string(lambda_steps) + " is a grid of " +
                         std::to_string(lr_steps * lambda_steps) + " runs, more than the " +
                         std::to_string(kMaxSweepRuns) +
                         " a sweep takes; take fewer steps or narrow the ranges");
  }
  const Range lr = parse_range(lr_range, "--lr-range"), lambda = parse_range(lambda_range, "--lambda-range");
  const std::vector<double> lrs = log_grid(lr.low, lr.high, lr_steps);
  const std::vector<double> lambdas = log_grid(lambda.low, lambda.high, lambda_steps);
  const classify::TrainParams base = train_params(train_args, common.seed);
  if (!train_args.max_memory.empty()) {
    throw InputError("--max-memory", "is not supported by sweep, which holds both stores in memory once");
  }
  CliObserver observer(common.quiet);
  const SweepResult sweep = sweep_stores(train_paths, val_paths, lrs, lambdas, base, out, observer,
                                         *ranks().collective, allow_overlap);

  std::printf("%-4s %10s %10s %8s %9s %9s %8s\n", "rank", "lr", "lambda", "val acc", "train acc", "loss",
              "seconds");
  for (std::size_t rank = 0; rank < sweep.runs.size(); ++rank) {
    const SweepRun& r = sweep.runs[rank];
    if (r.trained) {
      std::printf("%-4zu %10.3g %10.3g %8.4f %9.4f %9.4f %8.2f%s\n", rank + 1, r.lr, r.lambda, r.val_acc,
                  r.train_acc, r.loss, r.seconds, r.diverged.empty() ? "" : "  diverged");
    } else {
      std::printf("%-4zu %10.3g %10.3g  failed: %s\n", rank + 1, r.lr, r.lambda, r.error.c_str());
    }
  }
  const SweepRun& best = sweep.runs.front();
  std::printf("wrote %s: the best run, lr %s, lambda %s, val acc %.4f\n", out.c_str(),
              format_number(best.lr).c_str(), format_number(best.lambda).c_str(), best.val_acc);
  std::fflush(stdout);
  print_warnings(sweep.warnings);
  return 0;
}

}  // namespace featpipe::pipelines
