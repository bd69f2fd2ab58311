#pragma once
// The range of every numeric command-line option, in one table (option_schema.cpp). parse_command_line
// checks each value given against it before any work: negative counts, NaN, infinities and absurd sizes
// end with exit 2 naming the option. A numeric option missing from the table is a programming error,
// caught by the test that asks every command for its help.
#include <boost/program_options.hpp>
#include <span>
#include <string>
#include <string_view>

namespace featpipe::pipelines {

struct OptionRange {
  std::string_view name;  // without "--"
  double min, max;        // the accepted interval
  bool min_open = false;  // (min, ...: min itself refused
  bool max_open = false;  // ..., max): max itself refused
  std::string_view unit;  // what the number counts ("images", "rows", ""), shown in the message
};

/// Every entry of the table.
std::span<const OptionRange> option_ranges();

/// The table entry of an option; nullptr when it has none.
const OptionRange* option_range(std::string_view name);

/// InputError("--name", "must be in [min, max] <unit>, got 'text'") for a value outside its range (NaN
/// included). `value` is the number parsed from `text`, as written by the user.
void check_option_value(const OptionRange& range, double value, const std::string& text);

/// Every numeric option of `options` has a table entry (std::logic_error otherwise), and every numeric
/// value of `parsed` lies in its range (InputError otherwise).
void check_option_ranges(const boost::program_options::parsed_options& parsed,
                         const boost::program_options::options_description& options);

}  // namespace featpipe::pipelines
