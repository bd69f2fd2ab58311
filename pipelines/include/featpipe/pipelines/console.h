#pragma once
// The one place that decides what the featpipe command prints besides its errors. `--quiet` (`-q`) means
// silent except errors: no results on standard output, and no warnings, notes, log lines or progress on
// standard error. Errors ("featpipe: error: ...") are printed by run_command whatever this says.
#include <string>

namespace featpipe::pipelines {

enum class Notice {
  warning,  // "featpipe CMD: warning: <message>": the run goes on, but its result may not be what was meant
  note,     // "featpipe CMD: note: <message>": something the user may want to know, nothing wrong
  info,     // the message as it is: what a stage did ("wrote f.h5: ...")
};

/// Whether the command prints nothing but errors. Set once per command, by parse_command_line, from --quiet
/// (and on every MPI rank but 0, which reports for the job). Silencing redirects standard output to
/// /dev/null, so result lines written with printf or std::cout need no check of their own.
void set_quiet(bool quiet);
bool quiet();

/// The command whose notices these are (CMD above), set by parse_command_line; empty: "featpipe: warning:".
void set_command_name(const std::string& command);

/// Writes one notice to standard error unless quiet().
void notify(Notice kind, const std::string& message);

}  // namespace featpipe::pipelines
