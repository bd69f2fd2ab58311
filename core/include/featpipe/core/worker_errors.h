#pragma once
// Errors inside OpenMP workers: exceptions must not leave a parallel region, so the first one is kept and
// rethrown on the calling thread. A stop asked for by the stage's observer ends the workers the same way.
#include <atomic>
#include <exception>
#include <mutex>

#include "featpipe/core/stage_observer.h"

namespace featpipe {

/// Keeps the first exception thrown by any worker; the others stop early once failed() is true, which it
/// also is when the observer asks to stop.
class FirstError {
 public:
  explicit FirstError(StageObserver& observer) : observer_(observer) {}
  void capture() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = std::current_exception();
    failed_.store(true, std::memory_order_relaxed);
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed) || observer_.stopping(); }
  /// After the parallel region: the first worker's exception, else the observer's checkpoint.
  void rethrow() const {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (error_) std::rethrow_exception(error_);
    }
    observer_.checkpoint();
  }

 private:
  StageObserver& observer_;
  mutable std::mutex mutex_;
  std::exception_ptr error_;
  std::atomic<bool> failed_{false};
};

}  // namespace featpipe
