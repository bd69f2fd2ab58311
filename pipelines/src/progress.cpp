#include "featpipe/pipelines/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace featpipe::pipelines {
namespace {

constexpr int64_t kTtyIntervalNs = 200'000'000;       // redraw the bar 5 times a second
constexpr int64_t kPlainIntervalNs = 10'000'000'000;  // a log line every 10 s otherwise

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

}  // namespace

Progress::Progress(std::string label, uint64_t total, bool quiet, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      quiet_(quiet),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {
  next_print_ns_ = tty_ ? 0 : kPlainIntervalNs;
}

Progress::~Progress() {
  if (!finished_) finish();
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
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(filled, '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r%s [%s] %3.0f%% %llu/%llu %.0f %s/s %s %s\033[K", label_.c_str(), bar.c_str(),
                 fraction * 100, (unsigned long long)done, (unsigned long long)total_, rate, unit_.c_str(),
                 final ? "elapsed" : "ETA", format_duration(final ? elapsed : eta).c_str());
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
