#pragma once
// Numbers as featpipe writes them for people and for specs.
#include <string>

namespace featpipe {

/// The shortest text that reads back as exactly `value` (0.8, not 0.80000000000000004; 1e-05; inf; nan):
/// for spec parameters, provenance and option defaults.
std::string format_number(double value);

/// The same for a float parameter: the shortest text that reads back as exactly the float (0.3, where the
/// double of it would print 0.30000001192092896).
std::string format_float(float value);

/// `value` to `digits` significant digits (printf's %g), for tables and summaries.
std::string format_significant(double value, int digits);

}  // namespace featpipe
