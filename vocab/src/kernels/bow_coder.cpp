// Hard bag-of-words: each descriptor votes for its nearest word.
#include "coder.h"
#include "featpipe/core/scratch.h"
#include "nearest_block.h"

namespace featpipe::vocab::FEATPIPE_ISA {
namespace {

class BowCoder final : public Coder {
 public:
  explicit BowCoder(const RowMatrix<float>& centres) : centres_(centres), prepared_(centres_) {}

  std::size_t cell_width() const override { return centres_.rows(); }
  std::size_t tile_rows() const override { return tile_rows_for(centres_.rows()); }

  void add(ConstMatrixView<float> x, const std::size_t* cells, std::size_t levels, Pooling pooling,
           float* out) const override {
    thread_local std::vector<int32_t> label;
    const std::size_t n = x.rows(), k = centres_.rows();
    float* scratch = thread_scratch<float, struct BowScores>(std::min<std::size_t>(n, kNearestTileRows) * k);
    label.resize(n);
    nearest_in_block(x, prepared_, scratch, label.data(), nullptr);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t l = 0; l < levels; ++l)
        pool_into(out[cells[i * levels + l] * k + label[i]], 1.0f, pooling);
    }
  }

 private:
  RowMatrix<float> centres_;
  PreparedCentres prepared_;
};

}  // namespace

std::unique_ptr<Coder> make_bow_coder(const Vocabulary& vocabulary) {
  return std::make_unique<BowCoder>(vocabulary.centres);
}

}  // namespace featpipe::vocab::FEATPIPE_ISA
