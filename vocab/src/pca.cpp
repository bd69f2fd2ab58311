#include "featpipe/vocab/pca.h"

#include <Eigen/Eigenvalues>
#include <stdexcept>

#include "sample_moments.h"

namespace featpipe::vocab {

std::optional<std::string> validate(const PcaParams& params) {
  if (params.dims < 0) return "the number of principal components must be >= 0 (0: no projection)";
  return std::nullopt;
}

Pca::Pca(Eigen::RowVectorXf mean, RowMatrix<float> projection)
    : mean_(std::move(mean)), projection_(std::move(projection)) {
  if (projection_.rows() == 0 && mean_.size() == 0) return;
  if (mean_.size() == 0 || projection_.cols() != mean_.size() || projection_.rows() == 0 ||
      projection_.rows() >= mean_.size()) {
    throw std::invalid_argument("PCA needs a 1 x d mean and a D x d projection with 0 < D < d");
  }
}

Pca Pca::learn(ConstMatrixView<float> rows, const PcaParams& params, const Collective& job,
               std::size_t block_rows) {
  if (auto error = validate(params)) throw std::invalid_argument("PCA: " + *error);
  if (params.dims == 0) return Pca();
  const Eigen::Index d = rows.cols();
  if (params.dims >= d) {
    throw std::invalid_argument("PCA to " + std::to_string(params.dims) + " dimensions must reduce the " +
                                std::to_string(d) + " of the descriptors (use fewer, or none)");
  }
  const RowShare share = share_rows(job, rows.rows(), block_rows);
  if (share.rows < 2) throw std::invalid_argument("PCA needs at least 2 descriptors");
  const SampleMoments moments = sample_moments(rows, job, share);
  // Eigenvalues come in increasing order: the components are the last columns, taken from the end.
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(moments.covariance);
  RowMatrix<double> projection(params.dims, d);
  for (Eigen::Index c = 0; c < params.dims; ++c) {
    Eigen::VectorXd v = eigen.eigenvectors().col(d - 1 - c);
    // An eigenvector's sign is arbitrary: fixing it makes the stored projection the same on every build.
    Eigen::Index largest = 0;
    v.cwiseAbs().maxCoeff(&largest);
    if (v(largest) < 0) v = -v;
    projection.row(c) = v.transpose();
  }
  return Pca(moments.mean.cast<float>(), projection.cast<float>());
}

void Pca::project(ConstMatrixView<float> rows, MatrixView<float> out) const {
  if (std::size_t(rows.cols()) != input_dim() || std::size_t(out.cols()) != output_dim() ||
      out.rows() != rows.rows()) {
    throw std::invalid_argument("PCA: descriptors have " + std::to_string(rows.cols()) +
                                " dimensions, the projection was learned on " + std::to_string(input_dim()));
  }
  thread_local RowMatrix<float> centred;
  centred = rows.rowwise() - mean_;
  out.noalias() = centred * projection_.transpose();
}

}  // namespace featpipe::vocab
