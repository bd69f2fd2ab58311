#pragma once
// Progress of long work: a bar with rate and ETA on a TTY, a plain line every few seconds otherwise,
// nothing with --quiet. advance() is thread-safe and cheap (one atomic add; printing is rate-limited).
// The bar fits the terminal's width, read at every redraw, and a resize (SIGWINCH) redraws it at once: a
// line wider than the terminal wraps, and every redraw then leaves a broken line behind.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace featpipe::pipelines {

/// The bar's line for a terminal of `columns` columns: `label [####....] tail`, at most columns - 1 wide
/// (the last column would wrap on some terminals). It narrows the bar (to 10), then shortens the label
/// with "...", then drops the bar, then cuts the line.
std::string fit_progress_line(const std::string& label, double fraction, const std::string& tail,
                              int columns);

/// The width of the terminal on stderr: its window size, else $COLUMNS, else 80.
int terminal_columns();

class Progress {
 public:
  Progress(std::string label, uint64_t total, bool quiet, std::string unit = "img");
  ~Progress();  // finish() if not yet called
  void advance(uint64_t n = 1);
  /// Prints the final line: count, elapsed seconds and mean rate.
  void finish();
  double elapsed_seconds() const;

 private:
  void print(bool final);

  std::string label_, unit_;
  uint64_t total_;
  bool quiet_, tty_, finished_ = false;
  std::atomic<uint64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::atomic<int64_t> next_print_ns_{0};
  bool resize_handler_ = false;  // this bar installed the SIGWINCH handler
  std::mutex print_mutex_;
};

}  // namespace featpipe::pipelines
