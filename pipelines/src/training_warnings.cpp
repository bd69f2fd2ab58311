#include "training_warnings.h"

#include <algorithm>
#include <sstream>

#include "featpipe/classify/guard_rails.h"

namespace featpipe::pipelines {
namespace {

void add(std::vector<std::string>& warnings, const std::optional<std::string>& warning) {
  if (warning) warnings.push_back(*warning);
}

void add_few_updates(std::vector<std::string>& warnings, const classify::TrainParams& p, uint64_t rows) {
  const int64_t updates = classify::planned_updates(p.epochs, p.iterations, rows, p.batch);
  const int64_t per_epoch = classify::planned_updates(1, 0, rows, p.batch);
  add(warnings, classify::few_updates_warning(updates, p.iterations > 0 ? 0 : p.epochs,
                                              p.iterations > 0 ? updates : per_epoch));
}

std::size_t index_of(const std::vector<double>& grid, double value) {
  return static_cast<std::size_t>(std::find(grid.begin(), grid.end(), value) - grid.begin());
}

}  // namespace

std::vector<std::string> train_warnings(const classify::TrainParams& p, uint64_t train_rows,
                                        uint64_t val_rows, const classify::TrainHistory& history) {
  std::vector<std::string> warnings;
  add_few_updates(warnings, p, train_rows);
  if (val_rows > 0) add(warnings, classify::small_validation_warning(val_rows));
  if (!history.loss.empty()) {
    add(warnings,
        classify::divergence(history.initial_loss, history.loss.back(), history.expected_initial_loss));
  }
  return warnings;
}

std::vector<std::string> sweep_warnings(const classify::TrainParams& base, uint64_t train_rows,
                                        uint64_t val_rows, const std::vector<SweepRun>& ranked,
                                        const std::vector<double>& lrs, const std::vector<double>& lambdas) {
  std::vector<std::string> warnings;
  add_few_updates(warnings, base, train_rows);
  const SweepRun& best = ranked.front();
  if (auto small = classify::small_validation_warning(val_rows)) {
    warnings.push_back(*small);
  } else {
    // The worst run that trained and did not diverge: a diverged run is told apart by its loss anyway.
    const SweepRun* worst = nullptr;
    for (const SweepRun& r : ranked) {
      if (r.trained && r.diverged.empty() && &r != &best) worst = &r;
    }
    if (worst) add(warnings, classify::indistinct_grid_warning(best.val_acc, worst->val_acc, val_rows));
  }
  add(warnings, classify::grid_edge_warning(index_of(lrs, best.lr), lrs.size(), "--lr-range", best.lr));
  add(warnings, classify::grid_edge_warning(index_of(lambdas, best.lambda), lambdas.size(), "--lambda-range",
                                            best.lambda));
  if (!best.diverged.empty()) {
    std::ostringstream msg;
    msg << "the best run (lr " << best.lr << ", lambda " << best.lambda << ") " << best.diverged;
    warnings.push_back(msg.str());
  }
  const auto diverged = std::count_if(ranked.begin(), ranked.end(),
                                      [](const SweepRun& r) { return !r.diverged.empty() || !r.trained; });
  if (diverged > 0) {
    std::ostringstream msg;
    msg << diverged << " of " << ranked.size() << " runs diverged or failed (marked in the table); lower "
        << "--lr-range";
    warnings.push_back(msg.str());
  }
  return warnings;
}

}  // namespace featpipe::pipelines
