#include "featpipe/vocab/gmm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "featpipe/core/block_reduction.h"
#include "featpipe/core/parallel_blocks.h"
#include "featpipe/vocab/distances.h"
#include "gmm_kernels.h"

namespace featpipe::vocab::FEATPIPE_ISA {
namespace {

constexpr double kLog2Pi = 1.8378770664093453;
// Posteriors below e^-46 (1e-20) of a row's largest are set to zero: they change nothing a float or double
// can hold, and left as they are many would be subnormal, which slows every product touching them by
// two orders of magnitude.
constexpr double kLogNegligible = -46;
// Rows whose densities are computed by one product (their n x k scores stay in cache).
constexpr Eigen::Index kTileRows = 256;

template <typename T>
using Matrix = RowMatrix<T>;

/// The Gaussians rewritten so that log(w_k N(x | mu_k, var_k)) = [x^2, x] . coeffs_k + constant_k, one
/// product for a block of rows: coeffs_k = [-1 / (2 var_k), mu_k / var_k] and constant_k = log w_k -
/// (sum mu_k^2 / var_k + sum log var_k + d log 2 pi) / 2.
template <typename T>
struct LinearForm {
  explicit LinearForm(const Gmm& gmm) {
    const Eigen::Index k = gmm.means.rows(), d = gmm.means.cols();
    coeffs.resize(k, 2 * d);
    constant.resize(k);
    for (Eigen::Index j = 0; j < k; ++j) {
      const auto mean = gmm.means.row(j).template cast<double>().array();
      const auto var = gmm.variances.row(j).template cast<double>().array();
      coeffs.row(j).head(d) = (-0.5 / var).template cast<T>();
      coeffs.row(j).tail(d) = (mean / var).template cast<T>();
      constant(j) = static_cast<T>(std::log(double(gmm.weights(j))) -
                                   0.5 * ((mean * mean / var).sum() + var.log().sum() + d * kLog2Pi));
    }
  }
  Matrix<T> coeffs;
  Eigen::Matrix<T, 1, Eigen::Dynamic> constant;
};

/// [x^2, x] for rows of x.
template <typename T>
void expand(ConstMatrixView<float> x, Matrix<T>& out) {
  const Eigen::Index d = x.cols();
  out.resize(x.rows(), 2 * d);
  out.leftCols(d) = x.cast<T>().array().square().matrix();
  out.rightCols(d) = x.cast<T>();
}

/// Turns each row of log(w_k N(x)) into posteriors in place; returns the sum over rows of log p(x).
template <typename T>
double posteriors_in_place(Eigen::Ref<Matrix<T>> scores) {
  double log_likelihood = 0;
  for (Eigen::Index i = 0; i < scores.rows(); ++i) {
    auto row = scores.row(i).array();
    const T top = row.maxCoeff();
    row -= top;
    row = (row < T(kLogNegligible)).select(T(0), row.exp());
    const T sum = row.sum();
    row /= sum;
    log_likelihood += double(top) + std::log(double(sum));
  }
  return log_likelihood;
}

/// The M-step from summed statistics; components that received no mass keep their mean and variance.
void maximise(const Matrix<double>& moments, const Eigen::RowVectorXd& mass, double rows, double floor,
              Gmm& gmm) {
  const Eigen::Index k = gmm.means.rows(), d = gmm.means.cols();
  for (Eigen::Index j = 0; j < k; ++j) {
    gmm.weights(j) = static_cast<float>(mass(j) / rows);
    if (!(mass(j) > 0)) continue;
    const Eigen::RowVectorXd mean = moments.row(j).tail(d) / mass(j);
    const Eigen::RowVectorXd second = moments.row(j).head(d) / mass(j);
    gmm.means.row(j) = mean.cast<float>();
    gmm.variances.row(j) = (second.array() - mean.array().square()).max(floor).cast<float>().matrix();
  }
}

/// A block's record of EM statistics: sum gamma [x^2, x] (k x 2d), sum gamma (k), then the log-likelihood
/// when the record has room for it.
struct BlockMoments {
  BlockMoments(double* record, Eigen::Index k, Eigen::Index d)
      : moments(record, k, 2 * d), mass(record + k * 2 * d, k) {}
  Eigen::Map<Matrix<double>> moments;
  Eigen::Map<Eigen::RowVectorXd> mass;
};

/// relative times the largest per-dimension variance of the job's rows (1 when the rows are all the same):
/// the mean, then the squared deviations from it, each summed per block and then in block order.
double variance_floor(const Collective& job, const RowShare& share, ConstMatrixView<float> x,
                      double relative) {
  const Eigen::Index d = x.cols();
  BlockReduction reduction(job, share, d);
  Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(d);
  reduction.run(
      [&](int64_t b, double* record) {
        const auto [begin, rows] = share.block(b);
        Eigen::Map<Eigen::RowVectorXd>(record, d) = x.middleRows(begin, rows).cast<double>().colwise().sum();
      },
      [&](const double* record) { sum += Eigen::Map<const Eigen::RowVectorXd>(record, d); });
  const Eigen::RowVectorXd mean = sum / double(share.rows);
  Eigen::RowVectorXd squares = Eigen::RowVectorXd::Zero(d);
  reduction.run(
      [&](int64_t b, double* record) {
        const auto [begin, rows] = share.block(b);
        Eigen::Map<Eigen::RowVectorXd>(record, d) =
            (x.middleRows(begin, rows).cast<double>().rowwise() - mean).array().square().colwise().sum();
      },
      [&](const double* record) { squares += Eigen::Map<const Eigen::RowVectorXd>(record, d); });
  const double largest = (squares / double(share.rows)).maxCoeff();
  return relative * (largest > 0 ? largest : 1.0);
}

/// Means, variances and weights of the hard assignment of every row to its nearest k-means centre.
Gmm from_kmeans(const Collective& job, const RowShare& share, ConstMatrixView<float> x,
                const RowMatrix<float>& centres, double floor) {
  const Eigen::Index k = centres.rows(), d = x.cols();
  Matrix<double> moments = Matrix<double>::Zero(k, 2 * d);
  Eigen::RowVectorXd mass = Eigen::RowVectorXd::Zero(k);
  BlockReduction reduction(job, share, k * 2 * d + k);
  reduction.run(
      [&](int64_t b, double* record) {
        thread_local std::vector<int32_t> labels;
        const auto [begin, rows] = share.block(b);
        labels.resize(rows);
        nearest_centres(x.middleRows(begin, rows), centres, labels.data(), nullptr);
        BlockMoments block(record, k, d);
        block.moments.setZero();
        block.mass.setZero();
        for (std::size_t i = 0; i < rows; ++i) {
          const Eigen::RowVectorXd row = x.row(begin + i).cast<double>();
          block.moments.row(labels[i]).head(d) += row.array().square().matrix();
          block.moments.row(labels[i]).tail(d) += row;
          block.mass(labels[i]) += 1;
        }
      },
      [&](const double* record) {
        moments += Eigen::Map<const Matrix<double>>(record, k, 2 * d);
        mass += Eigen::Map<const Eigen::RowVectorXd>(record + k * 2 * d, k);
      });
  Gmm gmm{centres, RowMatrix<float>::Constant(k, d, static_cast<float>(floor)), Eigen::VectorXf(k)};
  maximise(moments, mass, double(share.rows), floor, gmm);
  return gmm;
}

}  // namespace

GmmResult fit_gmm(ConstMatrixView<float> x, const GmmParams& params) {
  if (auto error = validate(params)) throw std::invalid_argument("gmm: " + *error);
  KMeansParams init;
  init.k = params.k;
  init.max_iterations = params.init_iterations;
  init.block_rows = params.block_rows;
  init.seed = params.seed;
  init.job = params.job;
  const KMeansResult seeded = kmeans(x, init);  // throws when x has fewer rows than k

  const Collective& job = params.job ? *params.job : single_process();
  const RowShare share = share_rows(job, x.rows(), params.block_rows);
  const std::size_t d = x.cols(), k = params.k;
  const double floor = variance_floor(job, share, x, params.variance_floor);
  GmmResult result;
  result.gmm = from_kmeans(job, share, x, seeded.centres, floor);

  // A block's record: its moments, mass and log-likelihood.
  const std::size_t width = k * 2 * d + k + 1;
  BlockReduction reduction(job, share, width);
  Matrix<double> moments(k, 2 * d);
  Eigen::RowVectorXd mass(k);
  for (int it = 0; it < params.max_iterations; ++it) {
    const LinearForm<double> form(result.gmm);
    moments.setZero();
    mass.setZero();
    double log_likelihood = 0;
    reduction.run(
        [&](int64_t b, double* record) {
          thread_local Matrix<double> expanded, scores;
          BlockMoments block(record, k, d);
          block.moments.setZero();
          block.mass.setZero();
          double& block_log_likelihood = record[width - 1];
          block_log_likelihood = 0;
          const auto [begin, rows] = share.block(b);
          for (std::size_t tile = begin; tile < begin + rows; tile += kTileRows) {
            const Eigen::Index count = std::min<Eigen::Index>(kTileRows, begin + rows - tile);
            expand(x.middleRows(tile, count), expanded);
            scores.noalias() = expanded * form.coeffs.transpose();
            scores.rowwise() += form.constant;
            block_log_likelihood += posteriors_in_place<double>(scores);
            block.moments.noalias() += scores.transpose() * expanded;
            block.mass += scores.colwise().sum();
          }
        },
        [&](const double* record) {
          moments += Eigen::Map<const Matrix<double>>(record, k, 2 * d);
          mass += Eigen::Map<const Eigen::RowVectorXd>(record + k * 2 * d, k);
          log_likelihood += record[width - 1];
        });
    result.log_likelihood.push_back(log_likelihood);
    result.iterations = it + 1;
    if (params.on_iteration) params.on_iteration(it, log_likelihood);
    maximise(moments, mass, double(share.rows), floor, result.gmm);
    if (it > 0 &&
        log_likelihood - result.log_likelihood[it - 1] <= params.tolerance * std::abs(log_likelihood))
      break;
  }
  return result;
}

void gmm_linear_form(const Gmm& gmm, RowMatrix<float>& coeffs, Eigen::RowVectorXf& constant) {
  const LinearForm<float> form(gmm);
  coeffs = form.coeffs;
  constant = form.constant;
}

double gmm_log_posteriors(const RowMatrix<float>& coeffs, const Eigen::RowVectorXf& constant,
                          ConstMatrixView<float> x, MatrixView<float> out) {
  thread_local Matrix<float> expanded;
  expand(x, expanded);
  out.noalias() = expanded * coeffs.transpose();
  out.rowwise() += constant;
  return posteriors_in_place<float>(out);
}

}  // namespace featpipe::vocab::FEATPIPE_ISA
