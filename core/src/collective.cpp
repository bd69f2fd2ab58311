#include "featpipe/core/collective.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace featpipe {
namespace {

class SingleProcess final : public Collective {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::byte> all_gather(std::span<const std::byte> mine,
                                    std::vector<std::size_t>* counts) const override {
    if (counts) *counts = {mine.size()};
    return {mine.begin(), mine.end()};
  }
  void broadcast(std::vector<std::byte>&, int) const override {}
  void barrier() const override {}
  [[noreturn]] void abort(int exit_code) const override { std::exit(exit_code); }
};

}  // namespace

std::vector<std::byte> Collective::all_to_all(const std::vector<std::vector<std::byte>>& to_each,
                                              std::vector<std::size_t>* counts) const {
  if (to_each.size() != static_cast<std::size_t>(size())) {
    throw std::invalid_argument("Collective::all_to_all: " + std::to_string(to_each.size()) +
                                " pieces for a job of " + std::to_string(size()));
  }
  // Every rank's pieces, each preceded by its length, gathered everywhere; each rank keeps its own.
  std::vector<std::byte> packed;
  for (const std::vector<std::byte>& piece : to_each) {
    const uint64_t length = piece.size();
    const auto* header = reinterpret_cast<const std::byte*>(&length);
    packed.insert(packed.end(), header, header + sizeof length);
    packed.insert(packed.end(), piece.begin(), piece.end());
  }
  const std::vector<std::byte> all = all_gather(packed);
  std::vector<std::byte> mine;
  if (counts) counts->assign(size(), 0);
  std::size_t at = 0;
  for (int from = 0; from < size(); ++from) {
    for (int to = 0; to < size(); ++to) {
      uint64_t length = 0;
      std::memcpy(&length, all.data() + at, sizeof length);
      at += sizeof length;
      if (to == rank()) {
        mine.insert(mine.end(), all.begin() + at, all.begin() + at + length);
        if (counts) (*counts)[from] = length;
      }
      at += length;
    }
  }
  return mine;
}

const Collective& single_process() {
  static const SingleProcess job;
  return job;
}

std::pair<std::size_t, std::size_t> rank_share(std::size_t count, int rank, int size) {
  const std::size_t ranks = static_cast<std::size_t>(size), r = static_cast<std::size_t>(rank);
  const std::size_t base = count / ranks, extra = count % ranks;
  const std::size_t begin = r * base + std::min(r, extra);
  return {begin, begin + base + (r < extra ? 1 : 0)};
}

}  // namespace featpipe
