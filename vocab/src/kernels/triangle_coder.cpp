// The triangle activation of Coates, Lee & Ng: words nearer than the mean distance fire, by how much nearer.
#include "coder.h"
#include "featpipe/core/scratch.h"
#include "nearest_block.h"

namespace featpipe::vocab::FEATPIPE_ISA {
namespace {

class TriangleCoder final : public Coder {
 public:
  explicit TriangleCoder(const RowMatrix<float>& centres) : centres_(centres), prepared_(centres_) {}

  std::size_t cell_width() const override { return centres_.rows(); }
  std::size_t tile_rows() const override { return tile_rows_for(centres_.rows()); }

  void add(ConstMatrixView<float> x, const std::size_t* cells, std::size_t levels, Pooling pooling,
           float* out) const override {
    const std::size_t n = x.rows(), k = centres_.rows();
    // Aligned storage: z.mean() sums the row's unaligned head apart from the rest, so the mean's rounding
    // would follow wherever the allocator happened to put a plain vector.
    float* scores = thread_scratch<float, struct TriangleScores>(n * k);
    score_block(x, prepared_, scores);
    for (std::size_t i = 0; i < n; ++i) {
      // Eigen's array sqrt vectorises; std::sqrt in a loop does not (it may have to set errno).
      Eigen::Map<Eigen::ArrayXf> z(scores + i * k, k);
      z = (z + x.row(i).squaredNorm()).max(0.0f).sqrt();
      const float mean = z.mean();
      for (std::size_t l = 0; l < levels; ++l) {
        Eigen::Map<Eigen::ArrayXf> block(out + cells[i * levels + l] * k, k);
        if (pooling == Pooling::sum) {
          block += (mean - z).max(0.0f);
        } else {
          block = block.max(mean - z);
        }
      }
    }
  }

 private:
  RowMatrix<float> centres_;
  PreparedCentres prepared_;
};

}  // namespace

std::unique_ptr<Coder> make_triangle_coder(const Vocabulary& vocabulary) {
  return std::make_unique<TriangleCoder>(vocabulary.centres);
}

}  // namespace featpipe::vocab::FEATPIPE_ISA
