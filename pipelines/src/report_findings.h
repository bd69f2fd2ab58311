#pragma once
// The written part of the compare report: the few sentences at its top (which pipeline is best, by how much
// over the baseline and how sure that is, where it gains) and the warning that a test set is too small for
// the difference it shows. Read from the summary's rows (compare.h).
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace featpipe::pipelines {

/// The summary sentences; `base` is the baseline's row, rows.size() when there is none.
nlohmann::json findings(const nlohmann::json& rows, std::size_t base);

/// A warning when the difference between `row` and the baseline is within noise (McNemar p >= 0.05), giving
/// the gain, the half-width of the row's 95% interval and p; "" otherwise.
std::string noise_warning(const nlohmann::json& row, const nlohmann::json& base);

}  // namespace featpipe::pipelines
