#pragma once
// Errors inside OpenMP workers: exceptions must not leave a parallel region, so the first one is kept
// and rethrown on the calling thread, naming the image that failed. An interrupt (interrupt.h) stops the
// workers the same way and is thrown as Interrupted.
#include <atomic>
#include <exception>
#include <mutex>
#include <string>

#include "featpipe/data/split.h"
#include "featpipe/pipelines/interrupt.h"

namespace featpipe::pipelines {

/// Keeps the first exception thrown by any worker; the others stop early once failed() is true, which
/// it also is after SIGINT / SIGTERM.
class FirstError {
 public:
  void capture() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = std::current_exception();
    failed_.store(true, std::memory_order_relaxed);
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed) || interrupt_signal() != 0; }
  void rethrow() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (error_) std::rethrow_exception(error_);
    throw_if_interrupted();
  }

 private:
  mutable std::mutex mutex_;
  std::exception_ptr error_;
  std::atomic<bool> failed_{false};
};

/// "<dataset spec> image <source row> of <train|test>", the subject of an error about one image.
std::string describe_image(const data::SplitView& view, std::size_t i);

}  // namespace featpipe::pipelines
