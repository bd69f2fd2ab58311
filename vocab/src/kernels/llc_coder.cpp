// Locality-constrained linear coding, the approximated solution of Wang et al. (CVPR 2010, section 3): each
// descriptor is reconstructed from its knn nearest words alone, with the weights of the regularised
// least-squares fit that sums to one.
#include <Eigen/Cholesky>
#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "coder.h"
#include "featpipe/core/scratch.h"
#include "nearest_block.h"

namespace featpipe::vocab::FEATPIPE_ISA {
namespace {

class LlcCoder final : public Coder {
 public:
  LlcCoder(const RowMatrix<float>& centres, int knn, double beta)
      : centres_(centres), prepared_(centres_), knn_(knn), beta_(beta) {}

  std::size_t cell_width() const override { return centres_.rows(); }
  std::size_t tile_rows() const override { return tile_rows_for(centres_.rows()); }

  void add(ConstMatrixView<float> x, const std::size_t* cells, std::size_t levels, Pooling pooling,
           float* out) const override {
    thread_local std::vector<int32_t> order;
    const std::size_t n = x.rows(), k = centres_.rows();
    float* scores = thread_scratch<float, struct LlcScores>(n * k);
    score_block(x, prepared_, scores);
    for (std::size_t i = 0; i < n; ++i) {
      // Scores lack ||x||^2, which does not change the order; ties go to the lower index.
      const float* s = scores + i * k;
      order_nearest(s, k, knn_, order);
      const Eigen::VectorXd w = weights(x.row(i), order.data());
      for (std::size_t m = 0; m < knn_; ++m) {
        for (std::size_t l = 0; l < levels; ++l) {
          pool_into(out[cells[i * levels + l] * k + order[m]], static_cast<float>(w[m]), pooling);
        }
      }
    }
  }

 private:
  /// c = C \ 1, C = z z^T + beta trace(C) I with z the neighbours minus x, then c / sum(c). The knn x knn
  /// solve is done in double: C is nearly singular when x lies in the span of its neighbours.
  Eigen::VectorXd weights(Eigen::Ref<const Eigen::RowVectorXf> x, const int32_t* neighbours) const {
    Eigen::MatrixXd z(knn_, centres_.cols());
    for (std::size_t m = 0; m < knn_; ++m) {
      z.row(m) = (centres_.row(neighbours[m]) - x).cast<double>();
    }
    Eigen::MatrixXd c = z * z.transpose();
    const double trace = c.trace();
    // x equal to every neighbour (e.g. knn = 1 on a word): any weights reconstruct it; share them evenly.
    if (!(trace > 0)) return Eigen::VectorXd::Constant(knn_, 1.0 / double(knn_));
    c.diagonal().array() += beta_ * trace;
    Eigen::VectorXd w = c.ldlt().solve(Eigen::VectorXd::Ones(knn_));
    return w / w.sum();
  }

  RowMatrix<float> centres_;
  PreparedCentres prepared_;
  std::size_t knn_;
  double beta_;
};

}  // namespace

std::unique_ptr<Coder> make_llc_coder(const Vocabulary& vocabulary, int knn, double beta) {
  if (knn < 1 || std::size_t(knn) > vocabulary.k()) {
    throw std::invalid_argument(
        "llc reconstructs each descriptor from 1 to k = " + std::to_string(vocabulary.k()) +
        " nearest words of the vocabulary, not " + std::to_string(knn));
  }
  if (!(beta > 0)) throw std::invalid_argument("llc beta must be > 0");
  return std::make_unique<LlcCoder>(vocabulary.centres, knn, beta);
}

}  // namespace featpipe::vocab::FEATPIPE_ISA
