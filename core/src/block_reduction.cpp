#include "featpipe/core/block_reduction.h"

#include <cstdint>
#include <string>

namespace featpipe {

std::pair<std::size_t, std::size_t> rank_rows(std::size_t n, std::size_t block_rows, int rank, int size) {
  const auto [first, last] = rank_share(static_cast<std::size_t>(block_count(n, block_rows)), rank, size);
  return {std::min(n, first * block_rows), std::min(n, last * block_rows)};
}

RowShare share_rows(const Collective& job, std::size_t local_rows, std::size_t block_rows) {
  if (block_rows == 0) throw std::invalid_argument("share_rows: block_rows must be at least 1");
  const uint64_t mine = local_rows;
  const std::vector<uint64_t> counts = all_gather<uint64_t>(job, std::span<const uint64_t>(&mine, 1));
  RowShare share;
  share.local_rows = local_rows;
  share.block_rows = block_rows;
  for (int r = 0; r < static_cast<int>(counts.size()); ++r) {
    if (counts[r] > 0 && share.rows % block_rows != 0) {
      throw std::invalid_argument("share_rows: rank " + std::to_string(r) + "'s rows begin at row " +
                                  std::to_string(share.rows) + ", not on a block of " +
                                  std::to_string(block_rows) + " rows");
    }
    if (r == job.rank()) share.first_row = share.rows;
    share.rows += counts[r];
  }
  return share;
}

ReductionBytes reduction_bytes(std::size_t n, std::size_t block_rows, std::size_t record_doubles, int rank,
                               int size) {
  if (size <= 1) return {};
  const auto [begin, end] = rank_rows(n, block_rows, rank, size);
  const auto [first, last] = rank_share(record_doubles, rank, size);
  const std::size_t own = static_cast<std::size_t>(block_count(end - begin, block_rows));
  const std::size_t others = static_cast<std::size_t>(block_count(n, block_rows)) - own;
  const std::size_t slice = last - first;
  return {(own * (record_doubles - slice) + slice) * sizeof(double),
          (others * slice + record_doubles - slice) * sizeof(double)};
}

}  // namespace featpipe
