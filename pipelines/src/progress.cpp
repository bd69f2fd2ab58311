#include "featpipe/pipelines/progress.h"

#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace featpipe::pipelines {
namespace {

constexpr int64_t kTtyIntervalNs = 200'000'000;       // redraw the bar 5 times a second
constexpr int64_t kPlainIntervalNs = 10'000'000'000;  // a log line every 10 s otherwise
constexpr int kBarWidth = 30, kMinBarWidth = 10, kMinLabel = 12;

/// Set by SIGWINCH: the next advance() redraws at the new width without waiting for its interval.
volatile sig_atomic_t resized = 0;
void on_resize(int) { resized = 1; }

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

std::string bar_of(double fraction, int width) {
  std::string bar(static_cast<std::size_t>(std::clamp(fraction, 0.0, 1.0) * width), '#');
  bar.resize(static_cast<std::size_t>(width), '.');
  return "[" + bar + "]";
}

}  // namespace

std::string fit_progress_line(const std::string& label, double fraction, const std::string& tail,
                              int columns) {
  const int room = std::max(columns - 1, 1);
  const auto fits = [&](const std::string& l, int bar) {
    return int(l.size()) + (bar > 0 ? bar + 3 : 0) + int(tail.size()) <= room;
  };
  std::string l = label;
  int bar = kBarWidth;
  while (bar > kMinBarWidth && !fits(l, bar)) --bar;
  if (!fits(l, bar) && int(l.size()) > kMinLabel) {
    const int keep = std::max(kMinLabel - 3, room - (bar + 3) - int(tail.size()) - 3);
    if (keep < int(l.size()) - 3) l = l.substr(0, std::size_t(keep)) + "...";
  }
  if (!fits(l, bar)) bar = 0;
  std::string line = l + (bar > 0 ? " " + bar_of(fraction, bar) : "") + tail;
  if (int(line.size()) > room) line.resize(std::size_t(room));
  return line;
}

int terminal_columns() {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const int n = std::atoi(columns);
    if (n > 0) return n;
  }
  return 80;
}

Progress::Progress(std::string label, uint64_t total, bool quiet, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      quiet_(quiet),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {
  next_print_ns_ = tty_ ? 0 : kPlainIntervalNs;
  if (tty_ && !quiet_) {
    struct sigaction current {};
    sigaction(SIGWINCH, nullptr, &current);
    if (current.sa_handler == SIG_DFL) {  // never over a handler of the program that uses the bar
      struct sigaction action {};
      action.sa_handler = on_resize;
      sigemptyset(&action.sa_mask);
      action.sa_flags = SA_RESTART;
      resize_handler_ = sigaction(SIGWINCH, &action, nullptr) == 0;
    }
  }
}

Progress::~Progress() {
  if (!finished_) finish();
  if (resize_handler_) signal(SIGWINCH, SIG_DFL);
}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::advance(uint64_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  if (quiet_) return;
  const int64_t now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count();
  int64_t due = next_print_ns_.load(std::memory_order_relaxed);
  if (resized) {
    resized = 0;
    due = now;
    next_print_ns_.store(now, std::memory_order_relaxed);
  }
  if (now < due) return;
  if (!next_print_ns_.compare_exchange_strong(due, now + (tty_ ? kTtyIntervalNs : kPlainIntervalNs))) return;
  std::lock_guard<std::mutex> lock(print_mutex_);
  print(false);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (quiet_) return;
  std::lock_guard<std::mutex> lock(print_mutex_);
  print(true);
}

void Progress::print(bool final) {
  const uint64_t done = done_.load();
  const double elapsed = elapsed_seconds();
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const double eta = rate > 0 && total_ > done ? (total_ - done) / rate : 0;
  const double fraction = total_ ? std::min(1.0, double(done) / total_) : 1.0;
  if (tty_) {
    char tail[160];
    std::snprintf(tail, sizeof tail, " %3.0f%% %llu/%llu %.0f %s/s %s %s", fraction * 100,
                  (unsigned long long)done, (unsigned long long)total_, rate, unit_.c_str(),
                  final ? "elapsed" : "ETA", format_duration(final ? elapsed : eta).c_str());
    const std::string line = fit_progress_line(label_, fraction, tail, terminal_columns());
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    if (final) std::fputc('\n', stderr);
  } else if (final) {
    std::fprintf(stderr, "%s: %llu %s in %.1f s (%.0f %s/s)\n", label_.c_str(), (unsigned long long)done,
                 unit_.c_str(), elapsed, rate, unit_.c_str());
  } else {
    std::fprintf(stderr, "%s: %llu/%llu %s (%.0f%%), %.0f %s/s, ETA %s\n", label_.c_str(),
                 (unsigned long long)done, (unsigned long long)total_, unit_.c_str(), fraction * 100, rate,
                 unit_.c_str(), format_duration(eta).c_str());
  }
  std::fflush(stderr);
}

}  // namespace featpipe::pipelines
