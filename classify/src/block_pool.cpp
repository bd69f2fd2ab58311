#include "block_pool.h"

#include <stdexcept>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace featpipe::classify {
namespace {

constexpr int kSpins = 4000;  // pauses (~0.3 ms) before sleeping: longer than the work between steps

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

uint64_t step_of(uint64_t state) { return state >> 32; }
int64_t front_of(uint64_t state) { return static_cast<int64_t>((state >> 16) & 0xffff); }
int64_t back_of(uint64_t state) { return static_cast<int64_t>(state & 0xffff); }

}  // namespace

BlockPool::BlockPool(int threads) {
  for (int i = 1; i < threads; ++i) helpers_.emplace_back([this] { help(); });
}

BlockPool::~BlockPool() {
  stop_.store(true);
  state_.fetch_add(uint64_t(1) << 32);
  wake_helpers();
  for (std::thread& t : helpers_) t.join();
}

void BlockPool::wake_helpers() {
  // a helper counts itself in sleepers_ before it last checks state_ (both sequentially consistent), so
  // either it sees the new state or this sees it and notifies under the lock it waits with
  if (sleepers_.load() == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  wake_.notify_all();
}

void BlockPool::take_blocks(uint64_t step, bool front) {
  uint64_t s = state_.load(std::memory_order_acquire);
  // compare-exchange, not fetch-add: a helper still holding an earlier step must not consume a block of
  // the current one. fn_ is the step's own: the step cannot end while a block of it is running.
  while (step_of(s) == step && front_of(s) < back_of(s)) {
    const uint64_t taken = front ? s + (uint64_t(1) << 16) : s - 1;
    if (!state_.compare_exchange_weak(s, taken, std::memory_order_acq_rel)) continue;
    (*fn_)(front ? front_of(s) : back_of(s) - 1);
    done_.fetch_add(1, std::memory_order_release);
    s = state_.load(std::memory_order_acquire);
  }
}

void BlockPool::run(int64_t count, BlockFn fn) {
  if (count > kMaxBlocks) throw std::length_error("BlockPool: more than 65535 blocks in a step");
  if (helpers_.empty()) {
    for (int64_t i = 0; i < count; ++i) fn(i);
    return;
  }
  fn_ = &fn;
  done_.store(0, std::memory_order_relaxed);
  const uint64_t step = step_of(state_.load()) + 1;
  state_.store(step << 32 | static_cast<uint64_t>(count));  // publishes fn_ and done_
  wake_helpers();
  take_blocks(step, true);
  for (int spins = 0; done_.load(std::memory_order_acquire) < count; ++spins) {
    if (spins < kSpins) {
      cpu_relax();
    } else {
      std::this_thread::yield();
    }
  }
}

void BlockPool::help() {
  uint64_t seen = state_.load();
  while (!stop_.load()) {
    uint64_t s = state_.load(std::memory_order_acquire);
    for (int spins = 0; s == seen && spins < kSpins; ++spins) {
      cpu_relax();
      s = state_.load(std::memory_order_acquire);
    }
    if (s == seen) {
      std::unique_lock<std::mutex> lock(mutex_);
      ++sleepers_;
      wake_.wait(lock, [&] { return state_.load() != seen || stop_.load(); });
      --sleepers_;
      s = state_.load(std::memory_order_acquire);
    }
    take_blocks(step_of(s), false);
    seen = state_.load(std::memory_order_acquire);
  }
}

}  // namespace featpipe::classify
