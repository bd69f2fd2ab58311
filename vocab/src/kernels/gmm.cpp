#include "featpipe/vocab/gmm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "featpipe/core/parallel_blocks.h"
#include "featpipe/vocab/distances.h"
#include "gmm_kernels.h"

namespace featpipe::vocab::FEATPIPE_ISA {
namespace {

constexpr double kLog2Pi = 1.8378770664093453;
// As in k-means: partial sums of this many blocks are held at once and added in block order.
constexpr int64_t kWaveBlocks = 32;
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

struct BlockStats {
  Matrix<double> moments;   // k x 2d: sum gamma x^2, sum gamma x
  Eigen::RowVectorXd mass;  // k: sum gamma
  double log_likelihood = 0;
};

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

double variance_floor(ConstMatrixView<float> x, double relative) {
  const Eigen::RowVectorXd mean = x.cast<double>().colwise().mean();
  const double largest = (x.cast<double>().rowwise() - mean).array().square().colwise().mean().maxCoeff();
  return relative * (largest > 0 ? largest : 1.0);
}

/// Means, variances and weights of the hard assignment of every row to its nearest k-means centre.
Gmm from_kmeans(ConstMatrixView<float> x, const RowMatrix<float>& centres, double floor) {
  const Eigen::Index n = x.rows(), k = centres.rows(), d = x.cols();
  std::vector<int32_t> labels(n);
  nearest_centres(x, centres, labels.data(), nullptr);
  Matrix<double> moments = Matrix<double>::Zero(k, 2 * d);
  Eigen::RowVectorXd mass = Eigen::RowVectorXd::Zero(k);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::RowVectorXd row = x.row(i).cast<double>();
    moments.row(labels[i]).head(d) += row.array().square().matrix();
    moments.row(labels[i]).tail(d) += row;
    mass(labels[i]) += 1;
  }
  Gmm gmm{centres, RowMatrix<float>::Constant(k, d, static_cast<float>(floor)), Eigen::VectorXf(k)};
  maximise(moments, mass, double(n), floor, gmm);
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
  const KMeansResult seeded = kmeans(x, init);  // throws when x has fewer rows than k

  const std::size_t n = x.rows(), d = x.cols(), k = params.k, block = params.block_rows;
  const double floor = variance_floor(x, params.variance_floor);
  GmmResult result;
  result.gmm = from_kmeans(x, seeded.centres, floor);

  const int64_t blocks = block_count(n, block), wave = std::min(kWaveBlocks, blocks);
  std::vector<BlockStats> slots(wave);
  Matrix<double> moments(k, 2 * d);
  Eigen::RowVectorXd mass(k);
  for (int it = 0; it < params.max_iterations; ++it) {
    const LinearForm<double> form(result.gmm);
    moments.setZero();
    mass.setZero();
    double log_likelihood = 0;
    for (int64_t first = 0; first < blocks; first += wave) {
      const int64_t count = std::min(wave, blocks - first);
      for_each_block(count, [&](int64_t s) {
        thread_local Matrix<double> expanded, scores;
        BlockStats& slot = slots[s];
        slot.moments.setZero(k, 2 * d);
        slot.mass.setZero(k);
        slot.log_likelihood = 0;
        const std::size_t begin = (first + s) * block, end = std::min(n, begin + block);
        for (std::size_t tile = begin; tile < end; tile += kTileRows) {
          const Eigen::Index rows = std::min<Eigen::Index>(kTileRows, end - tile);
          expand(x.middleRows(tile, rows), expanded);
          scores.noalias() = expanded * form.coeffs.transpose();
          scores.rowwise() += form.constant;
          slot.log_likelihood += posteriors_in_place<double>(scores);
          slot.moments.noalias() += scores.transpose() * expanded;
          slot.mass += scores.colwise().sum();
        }
      });
      for (int64_t s = 0; s < count; ++s) {
        moments += slots[s].moments;
        mass += slots[s].mass;
        log_likelihood += slots[s].log_likelihood;
      }
    }
    result.log_likelihood.push_back(log_likelihood);
    result.iterations = it + 1;
    if (params.on_iteration) params.on_iteration(it, log_likelihood);
    maximise(moments, mass, double(n), floor, result.gmm);
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
