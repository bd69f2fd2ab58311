#pragma once
// Sums over the rows of a matrix whose rows are spread over the ranks of a job (collective.h), with the same
// bits for any number of ranks and threads (DESIGN.md, "Determinism"): the rows are cut into blocks of a
// fixed number of rows, each rank holds a contiguous run of whole blocks (the runs in rank order), a record
// of statistics is computed per block, and every rank adds all the blocks' records in global block order.
// One process holding every row runs the same code; its "gather" is only the order of the additions.
//
// A block's record must then depend on nothing but its rows' values: not on the rows of other blocks (a
// matrix product rounds a row by its place in the product, so products are taken per block), nor on where
// the rows lie in memory (a rank's rows lie at other addresses modulo 64 bytes than in one process's
// matrix, and a vectorised sum that starts at an aligned address rounds by it: such sums run on aligned
// copies, as the whitening's per-row normalisation does).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "featpipe/core/collective.h"
#include "featpipe/core/matrix.h"
#include "featpipe/core/parallel_blocks.h"

namespace featpipe {

/// The rows [begin, end) of n rows that `rank` of `size` holds when they are cut into blocks of block_rows
/// rows (the last may be shorter) and each rank takes its rank_share() of the blocks.
std::pair<std::size_t, std::size_t> rank_rows(std::size_t n, std::size_t block_rows, int rank, int size);

/// Where this rank's rows lie among the job's.
struct RowShare {
  std::size_t rows = 0;        // the job's rows, every rank's together
  std::size_t first_row = 0;   // this rank's first row: a multiple of block_rows when it holds any
  std::size_t local_rows = 0;  // rows this rank holds
  std::size_t block_rows = 1;  // rows per block

  int64_t first_block() const { return static_cast<int64_t>(first_row / block_rows); }
  int64_t local_blocks() const { return block_count(local_rows, block_rows); }
  int64_t blocks() const { return block_count(rows, block_rows); }
  /// This rank's rows of its block b (0 <= b < local_blocks()), as [begin, begin + count) of its own rows.
  std::pair<std::size_t, std::size_t> block(int64_t b) const {
    const std::size_t begin = static_cast<std::size_t>(b) * block_rows;
    return {begin, std::min(block_rows, local_rows - begin)};
  }
};

/// This rank's share, from every rank's row count (one all_gather: every rank calls it). The ranks' rows
/// are taken to follow each other in rank order; throws std::invalid_argument (on every rank alike) when
/// block_rows is 0 or a rank's rows do not begin on a block boundary.
RowShare share_rows(const Collective& job, std::size_t local_rows, std::size_t block_rows);

/// What one BlockReduction::run moves: the bytes `rank` sends and receives, for n rows shared as
/// rank_rows() cuts them and records of record_doubles doubles. Both are 0 for one process.
struct ReductionBytes {
  std::size_t sent = 0;      // its blocks' records but its own slice, then its summed slice
  std::size_t received = 0;  // its slice of every other rank's blocks' records, then the other slices
};
ReductionBytes reduction_bytes(std::size_t n, std::size_t block_rows, std::size_t record_doubles, int rank,
                               int size);

/// Block-order sums of per-block records of `width` doubles over every block of the job, reusable across
/// iterations (it keeps its buffers).
class BlockReduction {
 public:
  /// Blocks whose records one process holds at once before adding them: a constant, not the thread count,
  /// so it changes nothing but the memory (kWaveBlocks * width doubles).
  static constexpr int64_t kWaveBlocks = 32;

  BlockReduction(const Collective& job, const RowShare& share, std::size_t width)
      : job_(job),
        share_(share),
        width_(width),
        stride_((width + kAlignDoubles - 1) / kAlignDoubles * kAlignDoubles) {}

  /// compute(b, record) fills the record (width doubles, not cleared) of this rank's block b, a local
  /// index; it runs on the OpenMP team (core/parallel_blocks.h) and must not throw. The record lies on a
  /// 64-byte boundary whichever slot holds it, so that vectorised code writing it rounds alike in every
  /// run. add(record) must add the record, value by value, into totals that were zero before run: one
  /// process calls it on the calling thread once per block, in block order; several ranks call it once,
  /// with every block's records already summed in block order from zero (the same bits) by a
  /// reduce-scatter: this rank sends its blocks' records but its own slice of width / size values, and
  /// its summed slice (reduction_bytes).
  template <typename Compute, typename Add>
  void run(Compute&& compute, Add&& add) {
    const int64_t local = share_.local_blocks();
    if (job_.size() == 1) {
      const int64_t wave = std::min(kWaveBlocks, local);
      slots_.resize(static_cast<Eigen::Index>(wave * stride_));
      for (int64_t first = 0; first < local; first += wave) {
        const int64_t count = std::min(wave, local - first);
        for_each_block(count, [&](int64_t s) { compute(first + s, slot(s)); });
        for (int64_t s = 0; s < count; ++s) add(static_cast<const double*>(slot(s)));
      }
      return;
    }
    slots_.resize(static_cast<Eigen::Index>(local * stride_));
    for_each_block(local, [&](int64_t b) { compute(b, slot(b)); });
    // A reduce-scatter: rank t receives slice t of every block's record (in block order, as the ranks'
    // runs of blocks follow each other in rank order) and sums it from zero in block order, each value as
    // one process's adds sum it; the summed slices are then gathered on every rank.
    const int size = job_.size();
    std::vector<std::vector<double>> to_each(static_cast<std::size_t>(size));
    for (int t = 0; t < size; ++t) {
      const auto [begin, end] = rank_share(width_, t, size);
      for (int64_t b = 0; b < local; ++b) to_each[t].insert(to_each[t].end(), slot(b) + begin, slot(b) + end);
    }
    const std::vector<double> slices = all_to_all<double>(job_, to_each);
    const auto [begin, end] = rank_share(width_, job_.rank(), size);
    const std::size_t length = end - begin, blocks = static_cast<std::size_t>(share_.blocks());
    if (slices.size() != blocks * length) {
      throw std::logic_error("BlockReduction: the ranks sent " + std::to_string(slices.size()) +
                             " doubles, not one record slice per block");
    }
    std::vector<double> summed(length, 0.0);
    for (std::size_t b = 0; b < blocks; ++b)
      for (std::size_t i = 0; i < length; ++i) summed[i] += slices[b * length + i];
    const std::vector<double> total = all_gather<double>(job_, summed);
    add(total.data());
  }

 private:
  static constexpr std::size_t kAlignDoubles = 64 / sizeof(double);

  double* slot(int64_t s) { return slots_.data() + static_cast<std::size_t>(s) * stride_; }

  const Collective& job_;
  RowShare share_;
  std::size_t width_, stride_;
  Eigen::VectorXd slots_;  // 64-byte aligned (EIGEN_MAX_ALIGN_BYTES, core's CMakeLists.txt)
};

}  // namespace featpipe
