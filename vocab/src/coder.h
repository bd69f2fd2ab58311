#pragma once
// Private: the per-encoding part of Encoder. A coder turns a tile of whitened descriptors into contributions
// to the pooled vector; Encoder does the whitening, the pyramid cells and the tiling.
#include <cstddef>
#include <memory>

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

/// out = out + value (sum) or max(out, value) (max).
inline void pool_into(float& out, float value, Pooling pooling) {
  out = pooling == Pooling::sum ? out + value : std::max(out, value);
}

std::unique_ptr<Coder> make_bow_coder(const Vocabulary& vocabulary);
std::unique_ptr<Coder> make_soft_coder(const Vocabulary& vocabulary, int neighbours, double beta);
std::unique_ptr<Coder> make_vlad_coder(const Vocabulary& vocabulary);
std::unique_ptr<Coder> make_fisher_coder(const Vocabulary& vocabulary);
std::unique_ptr<Coder> make_triangle_coder(const Vocabulary& vocabulary);

}  // namespace featpipe::vocab
