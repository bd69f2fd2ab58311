// Localized soft assignment: the nearest words share each descriptor by a Gaussian of the squared distance.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "coder.h"
#include "featpipe/core/scratch.h"
#include "nearest_block.h"

namespace featpipe::vocab::FEATPIPE_ISA {
namespace {

class SoftCoder final : public Coder {
 public:
  SoftCoder(const RowMatrix<float>& centres, int neighbours, double beta)
      : centres_(centres),
        prepared_(centres_),
        neighbours_(std::min<std::size_t>(neighbours, centres.rows())),
        beta_(static_cast<float>(beta)) {}

  std::size_t cell_width() const override { return centres_.rows(); }
  std::size_t tile_rows() const override { return tile_rows_for(centres_.rows()); }

  void add(ConstMatrixView<float> x, const std::size_t* cells, std::size_t levels, Pooling pooling,
           float* out) const override {
    thread_local std::vector<int32_t> order;
    const std::size_t n = x.rows(), k = centres_.rows();
    float* scores = thread_scratch<float, struct SoftScores>(n * k);
    score_block(x, prepared_, scores);
    for (std::size_t i = 0; i < n; ++i) {
      // Scores lack ||x||^2, which cancels in the weights: exp(-beta (d_j - d_nearest)).
      const float* s = scores + i * k;
      order_nearest(s, k, neighbours_, order);
      float weight[kMaxNeighbours];
      float total = 0;
      for (std::size_t m = 0; m < neighbours_; ++m)
        total += weight[m] = std::exp(-beta_ * (s[order[m]] - s[order[0]]));
      for (std::size_t m = 0; m < neighbours_; ++m) {
        for (std::size_t l = 0; l < levels; ++l) {
          pool_into(out[cells[i * levels + l] * k + order[m]], weight[m] / total, pooling);
        }
      }
    }
  }

  static constexpr std::size_t kMaxNeighbours = kMaxSoftNeighbours;

 private:
  RowMatrix<float> centres_;
  PreparedCentres prepared_;
  std::size_t neighbours_;
  float beta_;
};

}  // namespace

std::unique_ptr<Coder> make_soft_coder(const Vocabulary& vocabulary, int neighbours, double beta) {
  if (neighbours > int(SoftCoder::kMaxNeighbours)) {
    throw std::invalid_argument("soft assignment shares a descriptor among at most " +
                                std::to_string(SoftCoder::kMaxNeighbours) + " words");
  }
  if (beta == 0) {
    if (!(vocabulary.distortion > 0)) {
      throw std::invalid_argument(
          "the vocabulary records no distortion to scale soft assignment; give a beta");
    }
    beta = 1.0 / vocabulary.distortion;
  }
  return std::make_unique<SoftCoder>(vocabulary.centres, neighbours, beta);
}

}  // namespace featpipe::vocab::FEATPIPE_ISA
