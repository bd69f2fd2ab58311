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

/// What one BlockReduction::run moves: the bytes `rank` sends and the bytes every rank gathers (every
/// block's record), for n rows shared as rank_rows() cuts them and records of record_doubles doubles.
/// Both are 0 for one process, which gathers nothing.
struct ReductionBytes {
  std::size_t sent = 0;
  std::size_t gathered = 0;
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
  /// run. Then add(record) is called on the calling thread once per block of the job, in global block
  /// order. Several ranks: one all_gather, in which this rank sends local_blocks() * width doubles and
  /// receives every block's.
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
    // The records, packed without their padding (each moves down, never over one not yet moved).
    if (stride_ != width_)
      for (int64_t b = 1; b < local; ++b) std::copy_n(slot(b), width_, slots_.data() + b * width_);
    const std::vector<double> all =
        all_gather<double>(job_, {slots_.data(), static_cast<std::size_t>(local) * width_});
    if (all.size() != static_cast<std::size_t>(share_.blocks()) * width_) {
      throw std::logic_error("BlockReduction: the ranks gathered " + std::to_string(all.size()) +
                             " doubles, not one record per block");
    }
    for (std::size_t at = 0; at < all.size(); at += width_) add(all.data() + at);
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
