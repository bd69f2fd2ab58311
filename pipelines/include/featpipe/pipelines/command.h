#pragma once
// The featpipe command: `featpipe <command> [options]`. Each subcommand lives in its own
// pipelines/src/cmd_<name>.cpp and is listed once in commands.cpp.
#include <string>
#include <vector>

namespace featpipe::pipelines {

/// Exit codes of DESIGN.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitRunFailed = 3;

struct Command {
  const char* name;
  const char* summary;  // one line for `featpipe --help`
  /// args excludes the program and command names. Returns the exit code; may throw InputError /
  /// std::invalid_argument (exit 2) or RunError (exit 3), which run_command turns into messages.
  int (*run)(const std::vector<std::string>& args);
  /// Long-running: run_command catches SIGINT / SIGTERM / SIGHUP while it runs (InterruptGuard), and the
  /// command stops at its next check (Interrupted, exit 128 + signal).
  bool interruptible = false;
  /// Added to the out-of-memory message, e.g. how to need less.
  const char* out_of_memory_hint = "";
  /// Shares its work among the ranks of an MPI job (ranks.h); other commands refuse to run on several.
  bool on_ranks = false;
};

const std::vector<Command>& commands();

/// Dispatches argv to a command and maps exceptions to DESIGN.md's messages and exit codes:
/// "featpipe: error: <file or option>: <what is wrong and what to do>".
int run_command(int argc, char** argv);

}  // namespace featpipe::pipelines
