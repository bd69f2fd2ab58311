// featpipe sweep: a learning-rate x lambda grid (log-spaced) trained on one training store and ranked by
// accuracy on a validation store. The stores are read and standardised once and shared by all runs; runs
// are spread over the threads, one thread each, so every run equals `featpipe train` with its values.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "commands.h"
#include "featpipe/classify/finite_check.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/classify/standardizer.h"
#include "featpipe/classify/store_source.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/progress.h"
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

/// steps values from low to high, evenly spaced in log.
std::vector<double> log_grid(const Range& r, int steps) {
  std::vector<double> v(steps);
  for (int i = 0; i < steps; ++i) {
    v[i] = steps == 1 ? r.low : r.low * std::pow(r.high / r.low, static_cast<double>(i) / (steps - 1));
  }
  return v;
}

struct Run {
  double lr = 0, lambda = 0;
  std::optional<classify::TrainResult> result;
  std::string error;  // why the run failed (diverged)
  double seconds = 0;

  double val_acc() const { return result ? result->history.val_acc[result->history.best_epoch - 1] : -1.0; }
};

/// All rows of a store in memory.
RowMatrix<float> read_all(const classify::StoreRowSource& s) {
  RowMatrix<float> rows(s.rows(), s.dim());
  s.read_rows(0, s.rows(), rows.data());
  return rows;
}

}  // namespace

int run_sweep(const std::vector<std::string>& args) {
  po::options_description options("sweep options");
  std::string train_path, val_path, out, lr_range = "1e-4:1e-1", lambda_range = "1e-6:1e-2";
  int steps = 4, lr_steps = 0, lambda_steps = 0;
  TrainArgs train_args;
  options.add_options()                                                                                   //
      ("train", po::value(&train_path), "training feature store (.h5)")                                   //
      ("val", po::value(&val_path), "validation feature store (.h5): runs are ranked by its accuracy")    //
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
  check_output_path(out, "--out");
  if (steps < 1) throw InputError("--steps", "must be >= 1");
  if (!vm->count("lr-steps")) lr_steps = steps;
  if (!vm->count("lambda-steps")) lambda_steps = steps;
  if (lr_steps < 1) throw InputError("--lr-steps", "must be >= 1");
  if (lambda_steps < 1) throw InputError("--lambda-steps", "must be >= 1");
  const std::vector<double> lrs = log_grid(parse_range(lr_range, "--lr-range"), lr_steps);
  const std::vector<double> lambdas = log_grid(parse_range(lambda_range, "--lambda-range"), lambda_steps);
  classify::TrainParams base = train_params(train_args, common.seed);
  if (!train_args.max_memory.empty()) {
    throw InputError("--max-memory", "is not supported by sweep, which holds both stores in memory once");
  }

  const classify::StoreRowSource train_store(train_path), val_store(val_path);
  const FeatureSignature train_sig = signature(train_path, train_store.reader().provenance(),
                                               train_store.dim(), train_store.reader().class_names());
  check_same_features(train_sig, signature(val_path, val_store.reader().provenance(), val_store.dim(),
                                           val_store.reader().class_names()));
  // standardised once with the training statistics; every run uses these rows in place
  RowMatrix<float> train_rows = read_all(train_store), val_rows = read_all(val_store);
  const classify::Standardizer standardizer = as_input_error(train_path, [&] {
    return classify::fit_standardizer(
        classify::MatrixSource(train_rows.data(), train_rows.rows(), train_rows.cols()));
  });
  as_input_error(val_path, [&] { classify::check_finite(val_rows); });
  standardizer.apply(train_rows);
  standardizer.apply(val_rows);
  const classify::MatrixSource train_source(train_rows.data(), train_rows.rows(), train_rows.cols());
  const classify::MatrixSource val_source(val_rows.data(), val_rows.rows(), val_rows.cols());
  const classify::LabelledRows train_set{&train_source, train_store.labels(), train_path};
  const classify::LabelledRows val_set{&val_source, val_store.labels(), val_path};
  const int classes = static_cast<int>(train_sig.class_names.size());
  base.standardize = false;

  std::vector<Run> runs;
  for (double lr : lrs) {
    for (double lambda : lambdas) runs.push_back({lr, lambda, std::nullopt, "", 0});
  }
  Progress progress("sweep", runs.size(), common.quiet, "runs");
#pragma omp parallel
  {
    omp_set_num_threads(1);  // a run per thread: each trains as `featpipe train --threads 1` would
#pragma omp for schedule(dynamic)
    for (std::size_t i = 0; i < runs.size(); ++i) {
      classify::TrainParams p = base;
      p.lr = runs[i].lr;
      p.reg.lambda = runs[i].lambda;
      const auto start = std::chrono::steady_clock::now();
      try {
        runs[i].result = classify::train(p, train_set, &val_set, classes);
      } catch (const std::exception& e) {
        runs[i].error = e.what();
      }
      runs[i].seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      progress.advance();
    }
  }
  progress.finish();

  std::vector<std::size_t> order(runs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return runs[a].val_acc() > runs[b].val_acc(); });
  std::printf("%-4s %10s %10s %8s %9s %9s %8s\n", "rank", "lr", "lambda", "val acc", "train acc", "loss",
              "seconds");
  nlohmann::json table = nlohmann::json::array();
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const Run& r = runs[order[rank]];
    if (r.result) {
      const classify::TrainHistory& h = r.result->history;
      std::printf("%-4zu %10.3g %10.3g %8.4f %9.4f %9.4f %8.2f\n", rank + 1, r.lr, r.lambda, r.val_acc(),
                  h.train_acc.back(), h.loss.back(), r.seconds);
      table.push_back(
          {{"lr", r.lr}, {"lambda", r.lambda}, {"val_acc", r.val_acc()}, {"train_acc", h.train_acc.back()}});
    } else {
      std::printf("%-4zu %10.3g %10.3g  failed: %s\n", rank + 1, r.lr, r.lambda, r.error.c_str());
      table.push_back({{"lr", r.lr}, {"lambda", r.lambda}, {"error", r.error}});
    }
  }
  Run& best = runs[order.front()];
  if (!best.result) throw RunError("every run of the sweep failed; the first: " + best.error);

  classify::TrainParams best_params = base;
  best_params.lr = best.lr;
  best_params.reg.lambda = best.lambda;
  best_params.standardize = true;  // the model standardises its inputs with the statistics above
  classify::LinearModel& model = best.result->model;
  model.preprocess = standardizer;
  model.class_names = train_sig.class_names;
  nlohmann::json provenance =
      model_provenance("sweep", train_path, train_store.reader().provenance(), val_path,
                       val_store.reader().provenance(), best_params, best.result->history);
  provenance["sweep"] = {{"lr_range", lr_range}, {"lambda_range", lambda_range}, {"runs", table}};
  provenance["result"]["seconds"] = best.seconds;  // the chosen run's training time
  classify::save_model(out, model, best.result->history, provenance);
  std::printf("wrote %s: the best run, lr %g, lambda %g, val acc %.4f\n", out.c_str(), best.lr, best.lambda,
              best.val_acc());
  return 0;
}

}  // namespace featpipe::pipelines
