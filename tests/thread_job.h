#pragma once
// A job of N ranks inside the test process, one thread per rank, for code that shares its work through a
// Collective (core/collective.h) without MPI: each rank's calls meet the others' as MPI's would, and a rank
// that throws ends the others' waits (they throw too) instead of leaving them blocked.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "featpipe/core/collective.h"

namespace featpipe::testing {

class ThreadJob {
 public:
  /// Runs fn(job) for every rank of a job of `ranks` ranks, each on its own thread, job being that rank's
  /// Collective; rethrows the exception of the lowest rank that threw. Returns the bytes each rank sent
  /// through all_gather and broadcast.
  template <typename Fn>
  static std::vector<std::size_t> run(int ranks, Fn&& fn) {
    ThreadJob shared(ranks);
    std::vector<std::exception_ptr> errors(ranks);
    std::vector<std::size_t> sent(ranks, 0);
    std::vector<std::thread> threads;
    for (int r = 0; r < ranks; ++r) {
      threads.emplace_back([&, r] {
        Rank job(shared, r);
        try {
          fn(static_cast<const Collective&>(job));
        } catch (...) {
          errors[r] = std::current_exception();
          shared.fail();
        }
        sent[r] = job.sent;
      });
    }
    for (std::thread& t : threads) t.join();
    for (const std::exception_ptr& e : errors)
      if (e) std::rethrow_exception(e);
    return sent;
  }

 private:
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
      const std::size_t before = sent;
      std::vector<std::byte> received = Collective::all_to_all(to_each, counts);
      sent = before + to_others;
      return received;
    }
    std::vector<std::byte> all_gather(std::span<const std::byte> mine,
                                      std::vector<std::size_t>* counts) const override {
      sent += mine.size();
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

   private:
    ThreadJob& job_;
    int rank_;
  };

  int size_;
  std::vector<std::vector<std::byte>> slots_;
  std::mutex mutex_;
  std::condition_variable met_;
  int arrived_ = 0;
  uint64_t generation_ = 0;
  bool failed_ = false;
};

}  // namespace featpipe::testing
