// The triangle activation of Coates, Lee & Ng: words nearer than the mean distance fire, by how much nearer.
#include <cmath>

#include "coder.h"
#include "nearest_block.h"

namespace featpipe::vocab {
namespace {

class TriangleCoder final : public Coder {
 public:
  explicit TriangleCoder(const RowMatrix<float>& centres) : centres_(centres), prepared_(centres_) {}

  std::size_t cell_width() const override { return centres_.rows(); }
  std::size_t tile_rows() const override { return tile_rows_for(centres_.rows()); }

  void add(ConstMatrixView<float> x, const std::size_t* cells, std::size_t levels, Pooling pooling,
           float* out) const override {
    thread_local std::vector<float> scratch;
    const std::size_t n = x.rows(), k = centres_.rows();
    scratch.resize(n * k);
    score_block(x, prepared_, scratch.data());
    for (std::size_t i = 0; i < n; ++i) {
      float* z = scratch.data() + i * k;
      const float norm = x.row(i).squaredNorm();
      float sum = 0;
#pragma omp simd reduction(+ : sum)
      for (std::size_t j = 0; j < k; ++j) {
        z[j] = std::sqrt(std::max(0.0f, z[j] + norm));
        sum += z[j];
      }
      const float mean = sum / float(k);
      for (std::size_t l = 0; l < levels; ++l) {
        float* block = out + cells[i * levels + l] * k;
        if (pooling == Pooling::sum) {
#pragma omp simd
          for (std::size_t j = 0; j < k; ++j) block[j] += std::max(0.0f, mean - z[j]);
        } else {
#pragma omp simd
          for (std::size_t j = 0; j < k; ++j) block[j] = std::max(block[j], mean - z[j]);
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

}  // namespace featpipe::vocab
