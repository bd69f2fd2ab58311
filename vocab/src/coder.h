#pragma once
// Private: the per-encoding part of Encoder. A coder turns a tile of whitened descriptors into contributions
// to the pooled vector; Encoder does the whitening, the pyramid cells and the tiling.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

#include "featpipe/core/matrix.h"
#include "featpipe/vocab/encoder.h"

namespace featpipe::vocab {

class Coder {
 public:
  virtual ~Coder() = default;
  /// Values per pyramid cell.
  virtual std::size_t cell_width() const = 0;
  /// Rows per add() call, so that a tile's n x k scores stay in cache.
  virtual std::size_t tile_rows() const = 0;
  /// Pools the codes of x's rows (x.rows() <= tile_rows()) into out, row i into the cells
  /// cells[i * levels .. i * levels + levels).
  virtual void add(ConstMatrixView<float> x, const std::size_t* cells, std::size_t levels, Pooling pooling,
                   float* out) const = 0;
  /// After every tile of an image: count[c] descriptors fell in cell c.
  virtual void finish(const std::size_t* /*count*/, std::size_t /*cells*/, float* /*out*/) const {}
};

/// Rows of a tile for k columns of scores: about 256K floats (1 MB, within a core's L2 cache), at least 16
/// rows. Each tile's product packs all k centres again, so small tiles would spend their time packing.
inline std::size_t tile_rows_for(std::size_t k) {
  return std::max<std::size_t>(16, (std::size_t(1) << 18) / std::max<std::size_t>(1, k));
}

/// order[0..m) = the indices of the m lowest of the k scores s, lowest first, ties to the lower index (the
/// nearest words, whatever the CPU level). order is resized to k.
inline void order_nearest(const float* s, std::size_t k, std::size_t m, std::vector<int32_t>& order) {
  order.resize(k);
  std::iota(order.begin(), order.end(), 0);
  const auto nearer = [s](int32_t a, int32_t b) { return s[a] != s[b] ? s[a] < s[b] : a < b; };
  std::partial_sort(order.begin(), order.begin() + m, order.end(), nearer);
}

/// out = out + value (sum) or max(out, value) (max).
inline void pool_into(float& out, float value, Pooling pooling) {
  out = pooling == Pooling::sum ? out + value : std::max(out, value);
}

std::unique_ptr<Coder> make_bow_coder(const Vocabulary& vocabulary);
std::unique_ptr<Coder> make_soft_coder(const Vocabulary& vocabulary, int neighbours, double beta);
std::unique_ptr<Coder> make_vlad_coder(const Vocabulary& vocabulary);
std::unique_ptr<Coder> make_fisher_coder(const Vocabulary& vocabulary);
std::unique_ptr<Coder> make_triangle_coder(const Vocabulary& vocabulary);
std::unique_ptr<Coder> make_llc_coder(const Vocabulary& vocabulary, int knn, double beta);

}  // namespace featpipe::vocab
