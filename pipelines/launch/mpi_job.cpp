// The executable built with MPI (FEATPIPE_MPI): joins the job when a launcher set its environment.
#include "mpi_job.h"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "featpipe/pipelines/ranks.h"

namespace featpipe::pipelines {
namespace {

/// Open MPI's mpirun / mpiexec, PMIx launchers (srun with --mpi=pmix) and Hydra (MPICH) set these.
bool started_by_a_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

std::string library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  MPI_Get_library_version(text, &length);
  std::string version(text, static_cast<std::size_t>(length));
  const std::size_t end = version.find_first_of(",\n");
  return version.substr(0, end);
}

// MPI counts are int: larger messages go in pieces of this many bytes.
constexpr std::size_t kPieceBytes = std::size_t{1} << 30;

/// MPI_COMM_WORLD as a Collective. MPI's default error handler aborts the job on any failure.
class MpiCollective final : public Collective {
 public:
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::vector<std::byte> all_gather(std::span<const std::byte> mine,
                                    std::vector<std::size_t>* counts) const override {
    ++calls_;
    sent_ += mine.size() * static_cast<uint64_t>(size_ - 1);  // this rank's bytes reach every other rank
    std::vector<uint64_t> sizes(size_);
    const uint64_t my_size = mine.size();
    MPI_Allgather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
    std::vector<std::size_t> offsets(size_ + 1, 0);
    for (int r = 0; r < size_; ++r) offsets[r + 1] = offsets[r] + sizes[r];
    std::vector<std::byte> all(offsets[size_]);
    if (counts) counts->assign(sizes.begin(), sizes.end());
    if (offsets[size_] <= static_cast<std::size_t>(INT_MAX)) {
      std::vector<int> bytes(size_), displacements(size_);
      for (int r = 0; r < size_; ++r) {
        bytes[r] = static_cast<int>(sizes[r]);
        displacements[r] = static_cast<int>(offsets[r]);
      }
      MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_BYTE, all.data(), bytes.data(),
                     displacements.data(), MPI_BYTE, MPI_COMM_WORLD);
      return all;
    }
    std::copy(mine.begin(), mine.end(), all.begin() + offsets[rank_]);
    for (int r = 0; r < size_; ++r) broadcast_bytes(all.data() + offsets[r], sizes[r], r);
    return all;
  }

  std::vector<std::byte> all_to_all(const std::vector<std::vector<std::byte>>& to_each,
                                    std::vector<std::size_t>* counts) const override {
    ++calls_;
    std::vector<uint64_t> send_sizes(size_), receive_sizes(size_);
    for (int r = 0; r < size_; ++r) {
      send_sizes[r] = to_each.at(r).size();
      if (r != rank_) sent_ += send_sizes[r];
    }
    MPI_Alltoall(send_sizes.data(), 1, MPI_UINT64_T, receive_sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
    std::vector<std::size_t> offsets(size_ + 1, 0);
    for (int r = 0; r < size_; ++r) offsets[r + 1] = offsets[r] + receive_sizes[r];
    if (counts) counts->assign(receive_sizes.begin(), receive_sizes.end());
    std::vector<std::byte> received(offsets[size_]);
    // Each direction in pieces that fit MPI's int counts; both ends know its size, so they agree on the
    // pieces, and an empty direction sends nothing.
    std::vector<MPI_Request> requests;
    for (int r = 0; r < size_; ++r) {
      const std::vector<std::byte>& out = to_each[r];
      for (std::size_t done = 0, piece = 0; done < out.size(); done += kPieceBytes, ++piece) {
        requests.emplace_back();
        MPI_Isend(out.data() + done, static_cast<int>(std::min(kPieceBytes, out.size() - done)), MPI_BYTE, r,
                  static_cast<int>(piece), MPI_COMM_WORLD, &requests.back());
      }
      for (std::size_t done = 0, piece = 0; done < receive_sizes[r]; done += kPieceBytes, ++piece) {
        requests.emplace_back();
        MPI_Irecv(received.data() + offsets[r] + done,
                  static_cast<int>(std::min<std::size_t>(kPieceBytes, receive_sizes[r] - done)), MPI_BYTE, r,
                  static_cast<int>(piece), MPI_COMM_WORLD, &requests.back());
      }
    }
    MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
    return received;
  }

  void broadcast(std::vector<std::byte>& bytes, int root) const override {
    ++calls_;
    if (root == rank_) sent_ += bytes.size() * static_cast<uint64_t>(size_ - 1);
    uint64_t length = bytes.size();
    MPI_Bcast(&length, 1, MPI_UINT64_T, root, MPI_COMM_WORLD);
    bytes.resize(length);
    broadcast_bytes(bytes.data(), length, root);
  }

  void barrier() const override { MPI_Barrier(MPI_COMM_WORLD); }

  [[noreturn]] void abort(int exit_code) const override {
    MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::_Exit(exit_code);
  }

  /// Collective calls and the bytes this rank's data carried to the others (payload, not MPI's own
  /// traffic, which depends on its algorithms).
  uint64_t calls() const { return calls_; }
  uint64_t sent() const { return sent_; }

  void join() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }

 private:
  static void broadcast_bytes(std::byte* data, std::size_t length, int root) {
    for (std::size_t done = 0; done < length; done += kPieceBytes) {
      const int piece = static_cast<int>(std::min(kPieceBytes, length - done));
      MPI_Bcast(data + done, piece, MPI_BYTE, root, MPI_COMM_WORLD);
    }
  }

  int rank_ = 0, size_ = 1;
  mutable uint64_t calls_ = 0, sent_ = 0;
};

MpiCollective& world() {
  static MpiCollective job;
  return job;
}

}  // namespace

MpiJob::MpiJob(int& argc, char**& argv) {
  Ranks job;
  job.mpi = library_version();
  if (started_by_a_launcher()) {
    // Collective calls come from the main thread only; OpenMP teams never call MPI.
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    joined_ = true;
    world().join();
    job.rank = world().rank();
    job.size = world().size();
    job.collective = &world();
  }
  set_ranks(job);
}

MpiJob::~MpiJob() {
  if (!joined_) return;
  // FEATPIPE_MPI_STATS=1: each rank reports what it sent, for the scale-out benchmark (bench/).
  if (const char* stats = std::getenv("FEATPIPE_MPI_STATS"); stats != nullptr && std::string(stats) == "1") {
    std::fprintf(stderr, "featpipe: rank %d of %d sent %llu bytes in %llu collective calls\n", world().rank(),
                 world().size(), static_cast<unsigned long long>(world().sent()),
                 static_cast<unsigned long long>(world().calls()));
  }
  MPI_Finalize();
}

}  // namespace featpipe::pipelines
