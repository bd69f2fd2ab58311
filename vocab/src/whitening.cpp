#include "featpipe/vocab/whitening.h"

#include <Eigen/Eigenvalues>
#include <stdexcept>

#include "featpipe/core/block_reduction.h"
#include "sample_moments.h"

namespace featpipe::vocab {
namespace {

/// Each row normalised in an aligned copy: Eigen's vectorised sums start at an aligned address, so where a
/// row lies in memory (which differs between one process's matrix and a rank's share of it) would otherwise
/// change their rounding.
void normalize_rows(MatrixView<float> rows, float eps) {
  thread_local Eigen::RowVectorXf copy;
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    copy = rows.row(i);
    auto row = copy.array();
    const float mean = row.mean();
    row -= mean;
    // Unbiased variance, as Coates et al.'s Matlab var().
    const float variance = rows.cols() > 1 ? row.square().sum() / float(rows.cols() - 1) : 0.0f;
    row /= std::sqrt(variance + eps);
    rows.row(i) = copy;
  }
}

}  // namespace

std::optional<std::string> validate(const WhiteningParams& params) {
  if (!(params.patch_eps >= 0)) return "patch normalisation epsilon must be >= 0";
  if (!(params.zca_eps > 0)) return "ZCA epsilon must be > 0";
  return std::nullopt;
}

Whitening::Whitening(WhiteningParams params, Eigen::RowVectorXf mean, RowMatrix<float> transform)
    : params_(params), mean_(std::move(mean)), transform_(std::move(transform)) {
  if (auto error = validate(params_)) throw std::invalid_argument("whitening: " + *error);
  if (params_.zca &&
      (transform_.rows() != mean_.size() || transform_.cols() != mean_.size() || mean_.size() == 0)) {
    throw std::invalid_argument("whitening: ZCA needs a 1 x d mean and a d x d transform");
  }
}

Whitening Whitening::learn(ConstMatrixView<float> rows, const WhiteningParams& params, const Collective& job,
                           std::size_t block_rows) {
  if (auto error = validate(params)) throw std::invalid_argument("whitening: " + *error);
  if (!params.zca) return Whitening(params, {}, {});
  const RowShare share = share_rows(job, rows.rows(), block_rows);
  if (share.rows < 2) throw std::invalid_argument("whitening: ZCA needs at least 2 descriptors");
  RowMatrix<float> x = rows;
  if (params.normalize_patches) normalize_rows(x, params.patch_eps);
  const SampleMoments moments = sample_moments(x, job, share);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(moments.covariance);
  // Rounding can make the smallest eigenvalues of a rank-deficient covariance slightly negative.
  const Eigen::VectorXd scale = (eigen.eigenvalues().array().max(0.0) + params.zca_eps).rsqrt();
  const Eigen::MatrixXd zca = eigen.eigenvectors() * scale.asDiagonal() * eigen.eigenvectors().transpose();
  return Whitening(params, moments.mean.cast<float>(), zca.cast<float>());
}

void Whitening::apply(MatrixView<float> rows) const {
  if (params_.normalize_patches) normalize_rows(rows, params_.patch_eps);
  if (!params_.zca) return;
  if (rows.cols() != mean_.size()) {
    throw std::invalid_argument("whitening: descriptors have " + std::to_string(rows.cols()) +
                                " dimensions, the transform was learned on " + std::to_string(mean_.size()));
  }
  thread_local RowMatrix<float> centred;
  centred = rows.rowwise() - mean_;
  rows.noalias() = centred * transform_;  // the ZCA matrix is symmetric, so rows times it is the transform
}

}  // namespace featpipe::vocab
