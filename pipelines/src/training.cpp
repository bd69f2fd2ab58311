#include "featpipe/pipelines/training.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "featpipe/classify/checkpoint_io.h"
#include "featpipe/classify/finite_check.h"
#include "featpipe/classify/guard_rails.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/classify/standardizer.h"
#include "featpipe/classify/store_source.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/core/memory.h"
#include "featpipe/pipelines/store_overlap.h"
#include "fused_stores.h"
#include "sweep_exchange.h"
#include "train_options.h"
#include "training_warnings.h"

namespace featpipe::pipelines {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

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

/// InputError unless the stores have rows: an empty validation set would rank every run at accuracy 0.
void require_rows(const FusedStores& s) {
  if (s.first().rows() == 0) throw InputError(s.name(), "holds no rows; give a non-empty store");
}

/// All rows of the stores in memory.
RowMatrix<float> read_all(const FusedStores& s) {
  RowMatrix<float> rows(s.first().rows(), s.dim());
  s.rows().read_rows(0, s.first().rows(), rows.data());
  return rows;
}

/// The training rows as a checkpoint records them: the store's absolute path, or the stores' joined by ','.
std::string absolute_paths(const FusedStores& s) {
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < s.size(); ++i) paths.push_back(std::filesystem::absolute(s.path(i)).string());
  return join_paths(paths);
}

}  // namespace

TrainStageResult train_store(const std::vector<std::string>& train_paths, const classify::TrainParams& p,
                             const std::string& out, const TrainStageOptions& options,
                             const classify::TrainObserver& events, StageObserver& observer,
                             const Collective& job) {
  if (options.checkpoint_every < 0) throw InputError("--checkpoint-every", "must be >= 0 (epochs)");
  const std::string checkpoint_path = out + ".checkpoint";
  const auto start = Clock::now();
  const FusedStores train(train_paths, "--train");
  const std::string& train_path = train.path(0);
  std::optional<FusedStores> val;
  std::optional<classify::LabelledRows> val_rows;
  if (!options.val.empty()) {
    val.emplace(options.val, "--val");
    require_rows(*val);
    check_same_features(train, *val, "--val");
    if (!options.allow_overlap)
      refuse_shared_images(train_path, train.first().reader(), val->path(0), val->first().reader(), "--val");
    val_rows = classify::LabelledRows{&val->rows(), val->first().labels(), val->name()};
  }
  TrainStageResult done;
  done.rows = train.first().rows();
  done.dim = train.dim();
  done.classes = static_cast<int>(train.first().reader().class_names().size());
  if (p.early_stop > 0 && !val) throw InputError("--early-stop", "needs a validation store (--val)");

  // What a checkpoint must have been written by to be resumed here.
  const nlohmann::json run_info = {{"params", params_json(p)},
                                   {"train", absolute_paths(train)},
                                   {"train_rows", done.rows},
                                   {"dim", done.dim},
                                   {"val", val ? absolute_paths(*val) : ""}};
  if (options.resume && std::filesystem::exists(checkpoint_path)) {
    classify::CheckpointFile file = classify::load_checkpoint(checkpoint_path);
    check_same_run(checkpoint_path, file.run, run_info);
    done.resumed_from = std::move(file.state);
  }

  classify::TrainObserver hooks = events;
  hooks.progress = [&observer, user = events.progress](uint64_t rows) {
    observer.checkpoint();
    observer.advance(rows);
    if (user) user(rows);
  };
  hooks.checkpoint = [&, user = events.checkpoint](const classify::TrainState& state) {
    if (job.rank() == 0)
      classify::save_checkpoint(checkpoint_path, state, run_info);  // the same on every rank
    if (user) user(state);
  };
  hooks.checkpoint_every = options.checkpoint_every;
  const uint64_t total_rows = p.iterations > 0 ? static_cast<uint64_t>(p.iterations) * p.batch
                                               : static_cast<uint64_t>(p.epochs) * done.rows;
  if (options.on_start) {
    options.on_start({done.rows, done.dim, done.classes, done.resumed_from ? &*done.resumed_from : nullptr});
  }
  observer.begin("train", total_rows, "rows");
  if (done.resumed_from) observer.advance(done.resumed_from->iteration * static_cast<uint64_t>(p.batch));
  try {
    done.result = classify::train(p, {&train.rows(), train.first().labels(), train.name()},
                                  val_rows ? &*val_rows : nullptr, done.classes, hooks,
                                  done.resumed_from ? &*done.resumed_from : nullptr, job);
  } catch (const std::invalid_argument& e) {
    // The budget is the one parameter the library can only judge against the data: name its option.
    const std::string what = e.what();
    if (what.rfind("max_memory ", 0) == 0) throw InputError("--max-memory", what.substr(11));
    throw;
  }
  observer.end();
  done.result.model.class_names = train.first().reader().class_names();

  nlohmann::json provenance =
      model_provenance("train", train_path, train.first().reader().provenance(), val ? val->path(0) : "",
                       val ? val->first().reader().provenance() : nlohmann::json(), p, done.result.history);
  record_fused_stores(provenance, train, val ? &*val : nullptr);
  provenance["result"]["seconds"] = seconds_since(start);
  provenance["train"]["rows"] = done.rows;  // the sample sizes the compare report shows
  if (val) provenance["val"]["rows"] = val->first().rows();
  done.warnings = train_warnings(p, done.rows, val ? val->first().rows() : 0, done.result.history);
  provenance["warnings"] = done.warnings;
  if (job.rank() == 0) {  // the job's model, the same on every rank
    classify::save_model(out, done.result.model, done.result.history, provenance);
    std::error_code ignored;
    std::filesystem::remove(checkpoint_path, ignored);  // the model supersedes it
  }
  done.seconds = seconds_since(start);
  return done;
}

bool sweep_order(const SweepRun& a, const SweepRun& b) {
  if (a.val_acc != b.val_acc) return a.val_acc > b.val_acc;
  if (a.lr != b.lr) return a.lr < b.lr;
  return a.lambda > b.lambda;
}

std::vector<double> log_grid(double low, double high, int steps) {
  std::vector<double> v(steps);
  for (int i = 0; i < steps; ++i) {
    v[i] = steps == 1 ? low : low * std::pow(high / low, static_cast<double>(i) / (steps - 1));
  }
  return v;
}

SweepResult sweep_stores(const std::vector<std::string>& train_paths,
                         const std::vector<std::string>& val_paths, const std::vector<double>& lrs,
                         const std::vector<double>& lambdas, const classify::TrainParams& base_params,
                         const std::string& out, StageObserver& observer, const Collective& job,
                         bool allow_overlap) {
  const FusedStores train(train_paths, "--train"), val(val_paths, "--val");
  const std::string train_path = train.name(), val_path = val.name();
  require_rows(train);
  require_rows(val);
  check_same_features(train, val, "--val");
  if (!allow_overlap)
    refuse_shared_images(train.path(0), train.first().reader(), val.path(0), val.first().reader(), "--val");
  const classify::StoreRowSource& train_store = train.first();
  const classify::StoreRowSource& val_store = val.first();
  const std::vector<std::string> class_names = train_store.reader().class_names();
  // this rank's runs, in grid order: lr major, lambda minor
  const std::size_t grid = lrs.size() * lambdas.size();
  const auto [first_run, end_run] = rank_share(grid, job.rank(), job.size());
  // The rows of both stores in memory, and every run's model and loss curve until the best is chosen.
  const long double rows = static_cast<long double>(train_store.rows() + val_store.rows());
  const long double batches =
      base_params.iterations > 0
          ? base_params.iterations
          : static_cast<long double>(base_params.epochs) *
                std::ceil(static_cast<long double>(train_store.rows()) / base_params.batch);
  const long double per_run = 4.0L * (train.dim() + 1) * class_names.size() + 8.0L * batches;
  require_memory("--lr-steps/--lambda-steps",
                 4.0L * rows * train.dim() + static_cast<long double>(end_run - first_run) * per_run,
                 "a sweep of " + std::to_string(grid) + " runs over " + std::to_string(train_store.rows()) +
                     " x " + std::to_string(train.dim()) + " rows");
  // standardised once with the training statistics; every run uses these rows in place
  RowMatrix<float> train_rows = read_all(train), val_rows = read_all(val);
  const classify::Standardizer standardizer = blame(train_path, [&] {
    return classify::fit_standardizer(
        classify::MatrixSource(train_rows.data(), train_rows.rows(), train_rows.cols()));
  });
  blame(val_path, [&] { classify::check_finite(val_rows); });
  standardizer.apply(train_rows);
  standardizer.apply(val_rows);
  const classify::MatrixSource train_source(train_rows.data(), train_rows.rows(), train_rows.cols());
  const classify::MatrixSource val_source(val_rows.data(), val_rows.rows(), val_rows.cols());
  const classify::LabelledRows train_set{&train_source, train_store.labels(), train_path};
  const classify::LabelledRows val_set{&val_source, val_store.labels(), val_path};
  const int classes = static_cast<int>(class_names.size());
  classify::TrainParams base = base_params;
  base.standardize = false;

  std::vector<SweepRun> mine;
  std::vector<std::optional<classify::TrainResult>> results(end_run - first_run);
  for (std::size_t i = first_run; i < end_run; ++i) {
    SweepRun& run = mine.emplace_back();
    run.lr = lrs[i / lambdas.size()];
    run.lambda = lambdas[i % lambdas.size()];
  }
  observer.begin("sweep", mine.size(), "runs");
#pragma omp parallel
  {
    omp_set_num_threads(1);  // a run per thread: each trains as `featpipe train --threads 1` would
#pragma omp for schedule(dynamic)
    for (std::size_t i = 0; i < mine.size(); ++i) {
      if (observer.stopping()) continue;
      classify::TrainParams p = base;
      p.lr = mine[i].lr;
      p.reg.lambda = mine[i].lambda;
      const auto start = Clock::now();
      try {
        results[i] = classify::train(p, train_set, &val_set, classes);
        const classify::TrainHistory& h = results[i]->history;
        mine[i].trained = true;
        mine[i].val_acc = h.val_acc[h.best_epoch - 1];
        mine[i].train_acc = h.train_acc.back();
        mine[i].loss = h.loss.back();
        mine[i].diverged =
            classify::divergence(h.initial_loss, h.loss.back(), h.expected_initial_loss).value_or("");
      } catch (const std::exception& e) {
        mine[i].error = e.what();
      }
      mine[i].seconds = seconds_since(start);
      observer.advance();
    }
  }
  observer.checkpoint();
  observer.end();

  SweepResult sweep;
  sweep.runs = gather_runs(job, mine);  // every rank's, in grid order
  std::vector<std::size_t> ranking(sweep.runs.size());
  std::iota(ranking.begin(), ranking.end(), std::size_t{0});
  std::sort(ranking.begin(), ranking.end(),
            [&](std::size_t a, std::size_t b) { return sweep_order(sweep.runs[a], sweep.runs[b]); });
  const std::size_t best_run = ranking.front();
  const SweepRun best = sweep.runs[best_run];
  if (!best.trained) throw RunError("every run of the sweep failed; the first: " + best.error);
  // the rank whose share holds the best run sends its model
  int owner = 0;
  while (rank_share(grid, owner, job.size()).second <= best_run) ++owner;
  if (owner == job.rank()) sweep.best = std::move(*results[best_run - first_run]);
  broadcast_result(job, sweep.best, owner);
  std::vector<SweepRun> ranked;
  for (std::size_t i : ranking) ranked.push_back(std::move(sweep.runs[i]));
  sweep.runs = std::move(ranked);
  sweep.warnings = sweep_warnings(base, train_store.rows(), val_store.rows(), sweep.runs, lrs, lambdas);

  classify::TrainParams best_params = base;
  best_params.lr = best.lr;
  best_params.reg.lambda = best.lambda;
  best_params.standardize = true;  // the model standardises its inputs with the statistics above
  classify::LinearModel& model = sweep.best.model;
  model.preprocess = standardizer;
  model.class_names = class_names;
  if (job.rank() != 0) return sweep;  // rank 0 writes the job's model
  nlohmann::json table = nlohmann::json::array();
  for (const SweepRun& r : sweep.runs) {
    if (r.trained) {
      table.push_back(
          {{"lr", r.lr}, {"lambda", r.lambda}, {"val_acc", r.val_acc}, {"train_acc", r.train_acc}});
      if (!r.diverged.empty()) table.back()["diverged"] = r.diverged;
    } else {
      table.push_back({{"lr", r.lr}, {"lambda", r.lambda}, {"error", r.error}});
    }
  }
  nlohmann::json provenance =
      model_provenance("sweep", train.path(0), train_store.reader().provenance(), val.path(0),
                       val_store.reader().provenance(), best_params, sweep.best.history);
  record_fused_stores(provenance, train, &val);
  provenance["sweep"] = {
      {"lr_range", format_number(lrs.front()) + ":" + format_number(lrs.back())},
      {"lr_steps", lrs.size()},
      {"lambda_range", format_number(lambdas.front()) + ":" + format_number(lambdas.back())},
      {"lambda_steps", lambdas.size()},
      {"runs", table}};
  provenance["result"]["seconds"] = best.seconds;    // the chosen run's training time
  provenance["train"]["rows"] = train_store.rows();  // the sample sizes the compare report shows
  provenance["val"]["rows"] = val_store.rows();
  provenance["result"]["seconds"] = best.seconds;  // the chosen run's training time
  provenance["warnings"] = sweep.warnings;
  classify::save_model(out, model, sweep.best.history, provenance);
  return sweep;
}

}  // namespace featpipe::pipelines
