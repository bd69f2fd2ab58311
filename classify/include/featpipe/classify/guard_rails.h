#pragma once
// Guard rails for a trained model: the signs that its numbers (and a ranking of several) are not to be
// trusted yet. Each rule returns the warning a user reads, or nullopt; train and sweep print them and record
// them in the model's provenance ("warnings"), and any front end (the Python module) can call them alike.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace featpipe::classify {

/// Fewer SGD updates than this leave a linear model far from its optimum: a 3-class folder of 108 images
/// trained for 5 updates ranked its best features below raw pixels, which 400 updates set right.
constexpr int64_t kFewUpdates = 300;

/// Fewer validation rows than this give accuracies whose noise (binomial_noise) is several points.
constexpr uint64_t kSmallValidation = 100;

/// The updates of a run: iterations when set (> 0), else epochs x ceil(rows / batch).
int64_t planned_updates(int epochs, int64_t iterations, uint64_t rows, int batch);

/// "only U SGD updates (E epochs x B batches) ..." with the advice to raise --epochs or lower --batch, when
/// updates < kFewUpdates.
std::optional<std::string> few_updates_warning(int64_t updates, int epochs, int64_t batches_per_epoch);

/// The standard error of an accuracy p measured on n rows, sqrt(p (1 - p) / n); 0 for n == 0.
double binomial_noise(double accuracy, uint64_t rows);

/// A warning when the validation set has fewer than kSmallValidation rows.
std::optional<std::string> small_validation_warning(uint64_t val_rows);

/// A warning when the best and the worst accuracy of a sweep's runs, all measured on val_rows rows, differ by
/// less than twice the binomial noise of the best: the validation set cannot tell the grid's runs apart, so
/// its choice is chance. (Neighbouring grid points tie within the noise in most sweeps, harmlessly: the
/// rule asks whether the grid as a whole was told apart.)
std::optional<std::string> indistinct_grid_warning(double best, double worst, uint64_t val_rows);

/// A warning when the best point of a grid lies at an end of a range of more than one point (index 0 or
/// steps - 1): the optimum may lie beyond it. option names the range ("--lr-range").
std::optional<std::string> grid_edge_warning(std::size_t index, std::size_t steps, const std::string& option,
                                             double value);

/// Why a run diverged, or nullopt: its final loss is not finite, or is more than twice the larger of its
/// initial loss and the chance loss (ln K for softmax, K - 1 for the hinge losses: the loss of zero
/// weights). Twice, because the final minibatch's loss is noisy and holds the penalty as well.
std::optional<std::string> divergence(double initial_loss, double final_loss, double chance_loss);

}  // namespace featpipe::classify
