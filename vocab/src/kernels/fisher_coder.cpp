// Fisher vectors of a diagonal GMM: first- and second-order statistics of the descriptors, weighted by the
// posteriors and whitened by the Fisher information (Perronnin, Sanchez & Mensink 2010, with the layout
// and posterior threshold of VLFeat's vl_fisher_encode).
#include <cmath>
#include <stdexcept>

#include "coder.h"

namespace featpipe::vocab::FEATPIPE_ISA {
namespace {

// Posteriors below this are skipped, as VLFeat does: most descriptors have only a few components above it,
// so the accumulation is sparse in the components.
constexpr float kMinPosterior = 1e-6f;

class FisherCoder final : public Coder {
 public:
  explicit FisherCoder(const Gmm& gmm)
      : gmm_(gmm), posteriors_(gmm_), inverse_sigma_(gmm_.variances.array().rsqrt().matrix()) {}

  std::size_t cell_width() const override { return 2 * gmm_.means.size(); }
  std::size_t tile_rows() const override { return tile_rows_for(gmm_.means.rows()); }

  void add(ConstMatrixView<float> x, const std::size_t* cells, std::size_t levels, Pooling /*sum only*/,
           float* out) const override {
    thread_local RowMatrix<float> gamma;
    thread_local std::vector<float> diff;
    const std::size_t n = x.rows(), k = gmm_.means.rows(), d = x.cols(), width = cell_width();
    gamma.resize(n, k);
    diff.resize(d);
    posteriors_.compute(x, gamma);
    for (std::size_t i = 0; i < n; ++i) {
      const float* row = x.row(i).data();
      for (std::size_t c = 0; c < k; ++c) {
        const float g = gamma(i, c);
        if (g < kMinPosterior) continue;
        const float* mean = gmm_.means.row(c).data();
        const float* inv = inverse_sigma_.row(c).data();
        for (std::size_t j = 0; j < d; ++j) diff[j] = (row[j] - mean[j]) * inv[j];
        for (std::size_t l = 0; l < levels; ++l) {
          float* u = out + cells[i * levels + l] * width + c * d;
          float* v = u + k * d;
#pragma omp simd
          for (std::size_t j = 0; j < d; ++j) {
            u[j] += g * diff[j];
            v[j] += g * (diff[j] * diff[j] - 1.0f);
          }
        }
      }
    }
  }

  void finish(const std::size_t* count, std::size_t cells, float* out) const override {
    const std::size_t k = gmm_.means.rows(), d = gmm_.means.cols(), width = cell_width();
    for (std::size_t cell = 0; cell < cells; ++cell) {
      if (count[cell] == 0) continue;
      for (std::size_t c = 0; c < k; ++c) {
        float* u = out + cell * width + c * d;
        float* v = u + k * d;
        const float w = gmm_.weights(c);
        // A component with no weight received no posterior mass: its statistics are zero and stay so.
        const float su = w > 0 ? 1.0f / (count[cell] * std::sqrt(w)) : 0.0f;
        const float sv = w > 0 ? 1.0f / (count[cell] * std::sqrt(2.0f * w)) : 0.0f;
        for (std::size_t j = 0; j < d; ++j) {
          u[j] *= su;
          v[j] *= sv;
        }
      }
    }
  }

 private:
  Gmm gmm_;
  GmmPosteriors posteriors_;
  RowMatrix<float> inverse_sigma_;
};

}  // namespace

std::unique_ptr<Coder> make_fisher_coder(const Vocabulary& vocabulary) {
  if (vocabulary.method != VocabMethod::gmm) {
    throw std::invalid_argument(
        "fisher encoding needs a GMM vocabulary; build one with `featpipe vocab --method gmm`");
  }
  return std::make_unique<FisherCoder>(vocabulary.gmm());
}

}  // namespace featpipe::vocab::FEATPIPE_ISA
