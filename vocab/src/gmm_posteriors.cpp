#include <stdexcept>

#include "featpipe/vocab/gmm.h"
#include "gmm_kernels.h"

namespace featpipe::vocab {

std::optional<std::string> validate(const GmmParams& params) {
  if (params.k < 1) return "k must be at least 1, got " + std::to_string(params.k);
  if (params.max_iterations < 1)
    return "iterations must be at least 1, got " + std::to_string(params.max_iterations);
  if (!(params.tolerance >= 0)) return "tolerance must be >= 0";
  if (!(params.variance_floor > 0)) return "variance_floor must be > 0";
  if (params.init_iterations < 1) return "init_iterations must be at least 1";
  if (params.block_rows < 1) return "block_rows must be at least 1";
  return std::nullopt;
}

ReductionBytes gmm_iteration_bytes(std::size_t n, std::size_t k, std::size_t d, std::size_t block_rows,
                                   int rank, int size) {
  return reduction_bytes(n, block_rows, 2 * k * d + k + 1, rank, size);
}

GmmPosteriors::GmmPosteriors(const Gmm& gmm) { gmm_linear_form(gmm, coeffs_, constant_); }

double GmmPosteriors::compute(ConstMatrixView<float> x, MatrixView<float> out) const {
  if (2 * x.cols() != coeffs_.cols() || out.rows() != x.rows() || out.cols() != coeffs_.rows()) {
    throw std::invalid_argument("gmm posteriors: shapes of descriptors, mixture and output disagree");
  }
  return gmm_log_posteriors(coeffs_, constant_, x, out);
}

}  // namespace featpipe::vocab
