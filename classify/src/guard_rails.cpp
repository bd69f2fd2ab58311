#include "featpipe/classify/guard_rails.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace featpipe::classify {

int64_t planned_updates(int epochs, int64_t iterations, uint64_t rows, int batch) {
  if (iterations > 0) return iterations;
  const int64_t per_epoch = batch > 0 ? static_cast<int64_t>((rows + batch - 1) / batch) : 0;
  return static_cast<int64_t>(epochs) * per_epoch;
}

std::optional<std::string> few_updates_warning(int64_t updates, int epochs, int64_t batches_per_epoch) {
  if (updates >= kFewUpdates) return std::nullopt;
  std::ostringstream msg;
  msg << "only " << updates << " SGD updates (" << epochs << " epochs x " << batches_per_epoch
      << " batches), fewer than " << kFewUpdates
      << ": the model is likely undertrained and rankings against it unreliable; raise --epochs or lower "
         "--batch";
  return msg.str();
}

double binomial_noise(double accuracy, uint64_t rows) {
  if (rows == 0) return 0;
  const double p = std::clamp(accuracy, 0.0, 1.0);
  return std::sqrt(p * (1 - p) / static_cast<double>(rows));
}

std::optional<std::string> small_validation_warning(uint64_t val_rows) {
  if (val_rows >= kSmallValidation) return std::nullopt;
  std::ostringstream msg;
  msg << "the validation set has " << val_rows << " rows, fewer than " << kSmallValidation
      << ": its accuracies move in steps of " << 1.0 / static_cast<double>(std::max<uint64_t>(val_rows, 1))
      << "; give a larger --val-size";
  return msg.str();
}

std::optional<std::string> indistinct_grid_warning(double best, double worst, uint64_t val_rows) {
  const double noise = binomial_noise(best, val_rows);
  if (best - worst >= 2 * noise) return std::nullopt;
  std::ostringstream msg;
  msg.precision(3);  // accuracies read from float32: 0.006, not 0.00599998
  msg << "every run's val acc lies within " << best - worst << " of the best " << best
      << ", less than twice the noise " << noise << " of " << val_rows
      << " validation rows (sqrt(p(1-p)/n)): the sweep cannot tell its runs apart; give a larger --val-size";
  return msg.str();
}

std::optional<std::string> grid_edge_warning(std::size_t index, std::size_t steps, const std::string& option,
                                             double value) {
  if (steps < 2 || (index != 0 && index + 1 != steps)) return std::nullopt;
  std::ostringstream msg;
  msg << "the best run's " << option.substr(2, option.find("-range") - 2) << " " << value << " is at the "
      << (index == 0 ? "low" : "high") << " end of " << option << ": the optimum may lie beyond it; widen "
      << option;
  return msg.str();
}

std::optional<std::string> divergence(double initial_loss, double final_loss, double chance_loss) {
  std::ostringstream msg;
  if (!std::isfinite(final_loss)) {
    msg << "diverged: final loss " << final_loss;
    return msg.str();
  }
  const double reference = std::max(initial_loss, chance_loss);
  if (final_loss <= 2 * reference) return std::nullopt;
  msg << "diverged: final loss " << final_loss << " is more than twice the initial " << initial_loss
      << " / chance " << chance_loss << " loss; lower --lr";
  return msg.str();
}

}  // namespace featpipe::classify
