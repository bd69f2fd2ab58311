#pragma once
// A job of N ranks inside the test process, one thread per rank, for code that shares its work through a
// Collective (core/collective.h) without MPI: each rank's calls meet the others' as MPI's would, and a rank
// that throws ends the others' waits (they throw too) instead of leaving them blocked.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "featpipe/core/collective.h"

namespace featpipe::testing {

class ThreadJob {
 public:
  class Rank;

  /// Runs fn(job) for every rank of a job of `ranks` ranks, each on its own thread, job being that rank's
  /// Collective; rethrows the exception of the lowest rank that threw. Returns the bytes each rank sent
  /// through all_gather, all_to_all and broadcast.
  template <typename Fn>
  static std::vector<std::size_t> run(int ranks, Fn&& fn) {
    std::vector<std::size_t> sent(ranks, 0);
    start(ranks, [&](const Rank& job) {
      try {
        fn(static_cast<const Collective&>(job));
      } catch (...) {
        sent[job.rank()] = job.sent;
        throw;
      }
      sent[job.rank()] = job.sent;
    });
    return sent;
  }

  /// What fn(rank) returned on each rank of a job of `ranks` ranks, in rank order; rethrows as run does.
  /// fn sees the rank itself, whose `calls` lists the bytes of each of its calls.
  template <typename Fn>
  static auto on_ranks(int ranks, Fn fn) {
    using Result = decltype(fn(std::declval<const Rank&>()));
    std::vector<std::optional<Result>> results(ranks);
    start(ranks, [&](const Rank& job) { results[job.rank()].emplace(fn(job)); });
    std::vector<Result> out;
    for (std::optional<Result>& r : results) out.push_back(std::move(*r));
    return out;
  }

 private:
  /// Runs body(rank) on a thread per rank; a rank that throws fails the job's waits, and the lowest rank's
  /// exception is rethrown once every thread has ended.
  template <typename Body>
  static void start(int ranks, Body&& body) {
    ThreadJob shared(ranks);
    std::vector<std::exception_ptr> errors(ranks);
    std::vector<std::thread> threads;
    for (int r = 0; r < ranks; ++r) {
      threads.emplace_back([&, r] {
        const Rank job(shared, r);
        try {
          body(job);
        } catch (...) {
          errors[r] = std::current_exception();
          shared.fail();
        }
      });
    }
    for (std::thread& t : threads) t.join();
    for (const std::exception_ptr& e : errors)
      if (e) std::rethrow_exception(e);
  }

  explicit ThreadJob(int size) : size_(size), slots_(size) {}

  /// Returns once every rank has called it (or throws once a rank has failed).
  void meet() {
    std::unique_lock lock(mutex_);
    const uint64_t generation = generation_;
    if (++arrived_ == size_) {
      arrived_ = 0;
      ++generation_;
      met_.notify_all();
      return;
    }
    met_.wait(lock, [&] { return generation_ != generation || failed_; });
    if (generation_ == generation) throw std::runtime_error("another rank of the job failed");
  }

  void fail() {
    std::lock_guard lock(mutex_);
    failed_ = true;
    met_.notify_all();
  }

 public:
  /// One rank's Collective. `sent` is the total of `calls`: the bytes of each all_gather (this rank's
  /// piece), all_to_all (its pieces for the other ranks) and broadcast (the root's bytes, 0 elsewhere), in
  /// call order.
  class Rank final : public Collective {
   public:
    Rank(ThreadJob& job, int rank) : job_(job), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return job_.size_; }
    /// Counts what this rank sends to the others, then exchanges through all_gather (not counted).
    std::vector<std::byte> all_to_all(const std::vector<std::vector<std::byte>>& to_each,
                                      std::vector<std::size_t>* counts) const override {
      std::size_t to_others = 0;
      for (int r = 0; r < size(); ++r)
        if (r != rank_) to_others += to_each.at(r).size();
      const std::size_t before = sent, logged = calls.size();
      std::vector<std::byte> received = Collective::all_to_all(to_each, counts);
      sent = before + to_others;  // the gather it went through is not what this rank sends
      calls.resize(logged);
      calls.push_back(to_others);
      return received;
    }
    std::vector<std::byte> all_gather(std::span<const std::byte> mine,
                                      std::vector<std::size_t>* counts) const override {
      sent += mine.size();
      calls.push_back(mine.size());
      job_.slots_[rank_].assign(mine.begin(), mine.end());
      job_.meet();
      std::vector<std::byte> all;
      if (counts) counts->clear();
      for (const std::vector<std::byte>& slot : job_.slots_) {
        all.insert(all.end(), slot.begin(), slot.end());
        if (counts) counts->push_back(slot.size());
      }
      job_.meet();  // no rank writes its slot again before every rank has read them all
      return all;
    }
    void broadcast(std::vector<std::byte>& bytes, int root) const override {
      calls.push_back(rank_ == root ? bytes.size() : 0);
      if (rank_ == root) {
        sent += bytes.size();
        job_.slots_[root] = bytes;
      }
      job_.meet();
      if (rank_ != root) bytes = job_.slots_[root];
      job_.meet();
    }
    void barrier() const override { job_.meet(); }
    [[noreturn]] void abort(int exit_code) const override {
      throw std::runtime_error("rank " + std::to_string(rank_) + " aborted the job with exit " +
                               std::to_string(exit_code));
    }

    mutable std::size_t sent = 0;
    mutable std::vector<std::size_t> calls;

   private:
    ThreadJob& job_;
    int rank_;
  };

 private:
  int size_;
  std::vector<std::vector<std::byte>> slots_;
  std::mutex mutex_;
  std::condition_variable met_;
  int arrived_ = 0;
  uint64_t generation_ = 0;
  bool failed_ = false;
};

}  // namespace featpipe::testing
