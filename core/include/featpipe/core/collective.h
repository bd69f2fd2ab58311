#pragma once
// The processes that share one stage's work (DESIGN.md, "Determinism"): one process alone, or the ranks of
// an MPI job. The stage libraries see only this interface; the featpipe executable provides the MPI one
// (pipelines/launch/), so the libraries and their consumers never link MPI.
//
// Work is cut into blocks whose boundaries do not depend on the rank count; each rank computes a contiguous
// share of the blocks (rank_share), the per-block results are gathered on every rank, and every rank
// combines them in block order. The result is then the same bits for any number of ranks, and the same as
// one process's, which runs the same code with a gather that only copies.
//
// Every rank must make the same calls in the same order (the usual rule of collective operations). They
// are made from one thread of each process.
#include <cstddef>
#include <cstring>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace featpipe {

class Collective {
 public:
  virtual ~Collective() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Every rank's bytes, concatenated in rank order, on every rank; counts (when given) receives the
  /// number of bytes of each rank.
  virtual std::vector<std::byte> all_gather(std::span<const std::byte> mine,
                                            std::vector<std::size_t>* counts = nullptr) const = 0;
  /// to_each[r] (one entry per rank) goes to rank r; returns what every rank sent to this one, concatenated
  /// in rank order (counts, when given, receives the bytes from each rank). The reduce-scatter of a
  /// fixed-order sum: each rank gathers one slice of every block's partial result and sums it. The default
  /// goes through all_gather (every rank receives everything); the MPI job's sends each piece only where it
  /// goes.
  virtual std::vector<std::byte> all_to_all(const std::vector<std::vector<std::byte>>& to_each,
                                            std::vector<std::size_t>* counts = nullptr) const;
  /// root's bytes on every rank (resized on the others).
  virtual void broadcast(std::vector<std::byte>& bytes, int root) const = 0;
  /// Returns once every rank has called it.
  virtual void barrier() const = 0;
  /// Ends every process of the job with exit_code, now (a rank that failed while the others wait in a
  /// collective operation). The single process just exits.
  [[noreturn]] virtual void abort(int exit_code) const = 0;
};

/// The job of this process alone: rank 0 of 1.
const Collective& single_process();

/// Rank's contiguous share [begin, end) of count items (blocks), shares differing by at most one item, the
/// lower ranks taking the larger ones.
std::pair<std::size_t, std::size_t> rank_share(std::size_t count, int rank, int size);

/// Every rank's values, concatenated in rank order, on every rank.
template <typename T>
std::vector<T> all_gather(const Collective& job, std::span<const T> mine,
                          std::vector<std::size_t>* counts = nullptr) {
  static_assert(std::is_trivially_copyable_v<T>);
  const std::vector<std::byte> bytes = job.all_gather(std::as_bytes(mine), counts);
  std::vector<T> values(bytes.size() / sizeof(T));
  if (!bytes.empty()) std::memcpy(values.data(), bytes.data(), bytes.size());
  if (counts)
    for (std::size_t& c : *counts) c /= sizeof(T);
  return values;
}

/// to_each[r] to rank r; what every rank sent to this one, concatenated in rank order.
template <typename T>
std::vector<T> all_to_all(const Collective& job, const std::vector<std::vector<T>>& to_each,
                          std::vector<std::size_t>* counts = nullptr) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::vector<std::vector<std::byte>> bytes(to_each.size());
  for (std::size_t r = 0; r < to_each.size(); ++r) {
    const auto piece = std::as_bytes(std::span<const T>(to_each[r]));
    bytes[r].assign(piece.begin(), piece.end());
  }
  const std::vector<std::byte> received = job.all_to_all(bytes, counts);
  std::vector<T> values(received.size() / sizeof(T));
  if (!received.empty()) std::memcpy(values.data(), received.data(), received.size());
  if (counts)
    for (std::size_t& c : *counts) c /= sizeof(T);
  return values;
}

/// root's values on every rank.
template <typename T>
void broadcast(const Collective& job, std::vector<T>& values, int root) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (job.size() == 1) return;
  std::vector<std::byte> bytes(values.size() * sizeof(T));
  if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  job.broadcast(bytes, root);
  values.resize(bytes.size() / sizeof(T));
  if (!bytes.empty()) std::memcpy(values.data(), bytes.data(), bytes.size());
}

}  // namespace featpipe
