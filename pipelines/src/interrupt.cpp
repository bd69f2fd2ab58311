#include "featpipe/pipelines/interrupt.h"

#include <unistd.h>

#include <atomic>
#include <cstring>

namespace featpipe::pipelines {
namespace {

std::atomic<int> received{0};
std::atomic<bool> second_ends_process{true};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free flag");
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

void on_signal(int signal) {
  int none = 0;
  if (!received.compare_exchange_strong(none, signal)) {
    if (!second_ends_process.load()) return;
    // the second signal: stop now, as the default action would
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  // A call from an interpreter records a second signal like the first: it says nothing of stopping at once.
  const char command[] = "\nfeatpipe: interrupted; stopping at the next safe point (again to stop at once)\n";
  const char call[] = "\nfeatpipe: interrupted; stopping at the next safe point\n";
  const bool process = second_ends_process.load();
  ssize_t ignored =
      write(STDERR_FILENO, process ? command : call, (process ? sizeof command : sizeof call) - 1);
  (void)ignored;
}

const char* signal_name(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "a signal";
  }
}

}  // namespace

Interrupted::Interrupted(int signal, const std::string& advice)
    : std::runtime_error(std::string("interrupted by ") + signal_name(signal) + "; " +
                         (advice.empty() ? "nothing was written; run the same command again" : advice)),
      signal_(signal) {}

InterruptGuard::InterruptGuard(Scope scope) {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  second_ends_process.store(scope == Scope::process);
  sigaction(SIGINT, &action, &old_int_);
  if (scope == Scope::call) {  // the other signals keep the interpreter's handling
    sigaction(SIGTERM, nullptr, &old_term_);
    sigaction(SIGHUP, nullptr, &old_hup_);
    return;
  }
  sigaction(SIGTERM, &action, &old_term_);
  // under nohup SIGHUP is ignored, and stays so: the user asked for the run to outlive the terminal
  sigaction(SIGHUP, nullptr, &old_hup_);
  if (old_hup_.sa_handler != SIG_IGN) sigaction(SIGHUP, &action, nullptr);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  sigaction(SIGHUP, &old_hup_, nullptr);
}

int interrupt_signal() { return received.load(std::memory_order_relaxed); }

void throw_if_interrupted(const std::string& advice) {
  if (const int signal = interrupt_signal()) throw Interrupted(signal, advice);
}

void clear_interrupt() { received.store(0); }

}  // namespace featpipe::pipelines
