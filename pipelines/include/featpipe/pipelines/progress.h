#pragma once
// Progress of long work: a bar with rate and ETA on a TTY, a plain line every few seconds otherwise,
// nothing with --quiet. advance() is thread-safe and cheap (one atomic add; printing is rate-limited).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace featpipe::pipelines {

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
  std::mutex print_mutex_;
};

}  // namespace featpipe::pipelines
