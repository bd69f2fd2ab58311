// VLAD: each descriptor adds its residual to its nearest word's block.
#include "coder.h"
#include "featpipe/core/scratch.h"
#include "nearest_block.h"

namespace featpipe::vocab::FEATPIPE_ISA {
namespace {

class VladCoder final : public Coder {
 public:
  explicit VladCoder(const RowMatrix<float>& centres) : centres_(centres), prepared_(centres_) {}

  std::size_t cell_width() const override { return centres_.size(); }
  std::size_t tile_rows() const override { return tile_rows_for(centres_.rows()); }

  void add(ConstMatrixView<float> x, const std::size_t* cells, std::size_t levels, Pooling /*sum only*/,
           float* out) const override {
    thread_local std::vector<int32_t> label;
    const std::size_t n = x.rows(), d = x.cols(), width = cell_width();
    float* scratch = thread_scratch<float, struct VladScores>(std::min<std::size_t>(n, kNearestTileRows) *
                                                              centres_.rows());
    label.resize(n);
    nearest_in_block(x, prepared_, scratch, label.data(), nullptr);
    for (std::size_t i = 0; i < n; ++i) {
      const float* row = x.row(i).data();
      const float* centre = centres_.row(label[i]).data();
      for (std::size_t l = 0; l < levels; ++l) {
        float* block = out + cells[i * levels + l] * width + label[i] * d;
        for (std::size_t j = 0; j < d; ++j) block[j] += row[j] - centre[j];
      }
    }
  }

 private:
  RowMatrix<float> centres_;
  PreparedCentres prepared_;
};

}  // namespace

std::unique_ptr<Coder> make_vlad_coder(const Vocabulary& vocabulary) {
  return std::make_unique<VladCoder>(vocabulary.centres);
}

}  // namespace featpipe::vocab::FEATPIPE_ISA
