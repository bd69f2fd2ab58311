#pragma once
// Numbers as featpipe writes them for people and for specs.
#include <string>

namespace featpipe {

/// The shortest text that reads back as exactly `value` (0.8, not 0.80000000000000004; 1e-05; inf; nan):
/// for spec parameters, provenance and option defaults.
std::string format_number(double value);

/// `value` to `digits` significant digits (printf's %g), for tables and summaries.
std::string format_significant(double value, int digits);

}  // namespace featpipe
