#include "featpipe/core/collective.h"

#include <algorithm>
#include <cstdlib>

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
