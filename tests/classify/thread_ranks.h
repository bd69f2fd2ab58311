#pragma once
// The ranks of a job as threads of the test's process: a Collective whose all_gather and broadcast go
// through shared memory, each call a meeting of every rank. on_ranks(N, fn) runs fn on N such ranks at once,
// as mpiexec -n N would run N processes, and counts the bytes each rank gives to its gathers and exchanges.
#include <barrier>
#include <cstddef>
#include <exception>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "featpipe/core/collective.h"

namespace featpipe::testing {

class ThreadRank final : public Collective {
 public:
  struct Meeting {
    explicit Meeting(int size) : barrier(size), slots(static_cast<std::size_t>(size)) {}
    std::barrier<> barrier;
    std::vector<std::vector<std::byte>> slots;  // each rank's contribution to the current call
  };

  ThreadRank(Meeting& meeting, int rank) : meeting_(&meeting), rank_(rank) {}

  int rank() const override { return rank_; }
  int size() const override { return static_cast<int>(meeting_->slots.size()); }

  std::vector<std::byte> all_gather(std::span<const std::byte> mine,
                                    std::vector<std::size_t>* counts) const override {
    gathered.push_back(mine.size());
    meeting_->slots[rank_].assign(mine.begin(), mine.end());
    meeting_->barrier.arrive_and_wait();
    std::vector<std::byte> all;
    if (counts) counts->clear();
    for (const std::vector<std::byte>& slot : meeting_->slots) {
      all.insert(all.end(), slot.begin(), slot.end());
      if (counts) counts->push_back(slot.size());
    }
    meeting_->barrier.arrive_and_wait();  // no rank fills its slot for the next call before all have read
    return all;
  }

  /// Counts the bytes this rank sends to the others (its own piece stays), then goes through all_gather.
  std::vector<std::byte> all_to_all(const std::vector<std::vector<std::byte>>& to_each,
                                    std::vector<std::size_t>* counts) const override {
    std::size_t to_others = 0;
    for (int r = 0; r < size(); ++r)
      if (r != rank_) to_others += to_each.at(r).size();
    const std::size_t calls = gathered.size();
    std::vector<std::byte> received = Collective::all_to_all(to_each, counts);
    gathered.resize(calls);  // the gather it went through is not what this rank sends
    gathered.push_back(to_others);
    return received;
  }

  void broadcast(std::vector<std::byte>& bytes, int root) const override {
    if (rank_ == root) meeting_->slots[root] = bytes;
    meeting_->barrier.arrive_and_wait();
    if (rank_ != root) bytes = meeting_->slots[root];
    meeting_->barrier.arrive_and_wait();
  }

  void barrier() const override { meeting_->barrier.arrive_and_wait(); }

  [[noreturn]] void abort(int) const override { throw std::logic_error("a rank aborted the job"); }

  /// The bytes this rank gave to each of its all_gather calls, and sent to the others in each all_to_all,
  /// in order.
  mutable std::vector<std::size_t> gathered;

 private:
  Meeting* meeting_;
  int rank_;
};

/// What fn(rank) returned on each of `size` ranks (threads) run at once, in rank order. A rank that threw
/// rethrows here (the lowest one's exception); fn must throw on every rank alike, or the others would wait
/// for it forever, as MPI ranks would.
template <typename Fn>
auto on_ranks(int size, Fn fn) {
  using Result = decltype(fn(std::declval<const ThreadRank&>()));
  ThreadRank::Meeting meeting(size);
  std::vector<ThreadRank> ranks;
  for (int r = 0; r < size; ++r) ranks.emplace_back(meeting, r);
  std::vector<std::optional<Result>> results(static_cast<std::size_t>(size));
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(size));
  std::vector<std::thread> threads;
  for (int r = 0; r < size; ++r) {
    threads.emplace_back([&, r] {
      try {
        results[r].emplace(fn(ranks[r]));
      } catch (...) {
        errors[r] = std::current_exception();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  std::vector<Result> out;
  for (std::optional<Result>& r : results) out.push_back(std::move(*r));
  return out;
}

}  // namespace featpipe::testing
