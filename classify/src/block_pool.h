#pragma once
// Private: the threads of the training step. A step runs fn(i) for its blocks i in [0, count) on the
// calling thread and on helper threads that take blocks while they are running; the caller only waits
// for blocks a helper has started, never for a helper that has not been scheduled. The caller takes
// blocks from the front and helpers from the back, so that with two threads and an even count each takes
// the same blocks step after step (and their data stays in its core's cache) unless one falls behind. On a
// busy machine a step so slows down to one thread's speed, where an OpenMP parallel-for (one barrier per
// step, a few thousand steps per run) waited a scheduler time slice per step (docs/performance.md).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace featpipe::classify {

/// A callable void(int64_t) by reference, without std::function's copy or allocation: valid while the
/// callable lives, which for a BlockPool::run argument is the whole run.
class BlockFn {
 public:
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, BlockFn>>>
  BlockFn(F&& fn)  // NOLINT(google-explicit-constructor): converts at the call, as std::function does
      : object_(const_cast<void*>(static_cast<const void*>(&fn))),
        call_([](void* object, int64_t i) { (*static_cast<std::remove_reference_t<F>*>(object))(i); }) {}
  void operator()(int64_t i) const { call_(object_, i); }

 private:
  void* object_;
  void (*call_)(void*, int64_t);
};

class BlockPool {
 public:
  /// threads - 1 helpers (none for threads <= 1).
  explicit BlockPool(int threads);
  ~BlockPool();
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;

  static constexpr int64_t kMaxBlocks = 0xffff;

  /// fn(i) for every i in [0, count) exactly once, count <= kMaxBlocks; fn must not throw. Returns when
  /// all are done.
  void run(int64_t count, BlockFn fn);

 private:
  /// Takes blocks of step, from the front or the back, until none is left.
  void take_blocks(uint64_t step, bool front);
  void help();
  void wake_helpers();

  // bits 32-63: step number; 16-31: the first block not taken from the front; 0-15: the block after the
  // last one not taken from the back. One word, so that a helper claims a block of the step it read,
  // never one of the next step.
  std::atomic<uint64_t> state_{0};
  std::atomic<int64_t> done_{0};
  const BlockFn* fn_ = nullptr;
  std::atomic<bool> stop_{false};
  // helpers that found no step after spinning sleep here
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<int> sleepers_{0};
  std::vector<std::thread> helpers_;
};

}  // namespace featpipe::classify
