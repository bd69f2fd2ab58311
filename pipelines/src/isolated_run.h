#pragma once
// Private: work run in a child process (fork), so that a library that crashes or loops forever on a corrupt
// input (HDF5 1.10 does both on some damaged files) ends only the child. The child sends its answer back
// through a pipe; the parent waits at most a time limit, then kills it.
#include <functional>
#include <string>

namespace featpipe::pipelines {

struct IsolatedResult {
  enum class Outcome {
    done,       // the work returned: message is its answer
    failed,     // it threw InputError: message is what()
    crashed,    // a signal or an abnormal exit ended the child: message says which
    timed_out,  // still running after the time limit; killed
  };
  Outcome outcome = Outcome::crashed;
  std::string message;
};

/// Runs work() in a forked child and waits for it at most timeout_seconds. Call before this process has
/// started threads or opened the files work() reads.
IsolatedResult run_isolated(const std::function<std::string()>& work, double timeout_seconds);

}  // namespace featpipe::pipelines
