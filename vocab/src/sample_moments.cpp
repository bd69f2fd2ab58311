#include "sample_moments.h"

namespace featpipe::vocab {

SampleMoments sample_moments(ConstMatrixView<float> x, const Collective& job, const RowShare& share) {
  const Eigen::Index d = x.cols();
  Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(d);
  BlockReduction(job, share, d)
      .run(
          [&](int64_t b, double* record) {
            const auto [begin, count] = share.block(b);
            Eigen::Map<Eigen::RowVectorXd>(record, d) =
                x.middleRows(begin, count).cast<double>().colwise().sum();
          },
          [&](const double* record) { sum += Eigen::Map<const Eigen::RowVectorXd>(record, d); });
  SampleMoments moments;
  moments.mean = sum / double(share.rows);
  moments.covariance = Eigen::MatrixXd::Zero(d, d);
  BlockReduction(job, share, d * d)
      .run(
          [&](int64_t b, double* record) {
            const auto [begin, count] = share.block(b);
            const RowMatrix<double> centred =
                x.middleRows(begin, count).cast<double>().rowwise() - moments.mean;
            Eigen::Map<Eigen::MatrixXd>(record, d, d) = centred.transpose() * centred;
          },
          [&](const double* record) {
            moments.covariance += Eigen::Map<const Eigen::MatrixXd>(record, d, d);
          });
  moments.covariance /= double(share.rows - 1);
  return moments;
}

}  // namespace featpipe::vocab
