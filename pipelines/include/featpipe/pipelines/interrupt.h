#pragma once
// SIGINT / SIGTERM / SIGHUP (a closed terminal) during long commands (extract, encode, descriptors, vocab,
// train): the first signal is recorded and the work stops at its next safe point (between images, minibatches
// or iterations); the command then throws Interrupted, its unfinished outputs are removed (stores are written
// to a temporary name), and featpipe exits 128 + signal (130, 143, 129) with advice on how to go on. A second
// signal stops the process at once, still without a finished-looking output.
#include <csignal>
#include <stdexcept>
#include <string>

namespace featpipe::pipelines {

class Interrupted : public std::runtime_error {
 public:
  Interrupted(int signal, const std::string& advice);
  int signal() const { return signal_; }
  int exit_code() const { return 128 + signal_; }

 private:
  int signal_;
};

/// Catches SIGINT, SIGTERM and SIGHUP while alive (one at a time; SIGHUP not when it is ignored, as under
/// nohup); the previous handlers come back afterwards. Scope::call, for a call from an interpreter that
/// lives on (Python): SIGINT alone, and a second one is recorded like the first instead of ending the
/// process.
class InterruptGuard {
 public:
  enum class Scope { process, call };
  explicit InterruptGuard(Scope scope = Scope::process);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  struct sigaction old_hup_ {};
};

/// The signal received under the guard, 0 when none. Cheap: safe to call from every worker.
int interrupt_signal();

/// Throws Interrupted (with advice, e.g. how to resume) when a signal has been received. Not inside an
/// OpenMP region: workers check interrupt_signal() and stop; the caller throws after the region.
void throw_if_interrupted(const std::string& advice = "");

/// For tests: forget a recorded signal.
void clear_interrupt();

}  // namespace featpipe::pipelines
