#include "featpipe/classify/gradient_check.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "featpipe/core/random.h"
#include "linear_scores.h"

namespace featpipe::classify {
namespace {

/// A random linear problem in double: x = [W (row-major D x C), b (C)].
struct Problem {
  RowMatrix<double> X;
  std::vector<int32_t> labels;
  int dim, classes;

  Eigen::Map<const RowMatrix<double>> W(const Eigen::VectorXd& x) const {
    return Eigen::Map<const RowMatrix<double>>(x.data(), dim, classes);
  }
  Eigen::Map<const RowVector<double>> b(const Eigen::VectorXd& x) const {
    return Eigen::Map<const RowVector<double>>(x.data() + dim * classes, classes);
  }
};

double data_objective(const Problem& pr, const LossParams& loss, const Eigen::VectorXd& x,
                      Eigen::VectorXd* grad) {
  RowMatrix<double> scores(pr.X.rows(), pr.classes), dscores(pr.X.rows(), pr.classes);
  forward_scores<double>(pr.X, pr.W(x), pr.b(x), scores);
  const double value = data_loss<double>(loss, scores, pr.labels, dscores);
  if (grad) {
    grad->resize(x.size());
    Eigen::Map<RowMatrix<double>> dW(grad->data(), pr.dim, pr.classes);
    Eigen::Map<RowVector<double>> db(grad->data() + pr.dim * pr.classes, pr.classes);
    backward_scores<double>(pr.X, dscores, 1.0, dW, db);
  }
  return value;
}

/// The penalty as a function of all of x (b does not enter: its gradient is 0).
double reg_objective(const Problem& pr, const RegParams& reg, const Eigen::VectorXd& x,
                     Eigen::VectorXd* grad) {
  Eigen::VectorXd g = Eigen::VectorXd::Zero(x.size());
  Eigen::Map<RowMatrix<double>> dW(g.data(), pr.dim, pr.classes);
  const double value = penalty<double>(reg, pr.W(x), dW);
  if (grad) *grad = g;
  return value;
}

constexpr int kMaxDraws = 1000;

/// The attempt-th random problem: its own item of the seed's stream.
void draw_problem(const GradientCheckParams& p, int attempt, Problem& pr, Eigen::VectorXd& x) {
  random::Generator generator(p.seed, random::Stream::gradient_check, static_cast<uint64_t>(attempt));
  pr = {RowMatrix<double>(p.rows, p.dim), std::vector<int32_t>(p.rows), p.dim, p.classes};
  for (Eigen::Index i = 0; i < pr.X.size(); ++i) pr.X.data()[i] = generator.normal();
  for (int32_t& y : pr.labels) y = static_cast<int32_t>(generator.below(static_cast<uint64_t>(p.classes)));
  x.resize((p.dim + 1) * p.classes);
  for (Eigen::Index i = 0; i < x.size(); ++i) x[i] = generator.normal();
}

/// Central differences are only meaningful where every term is differentiable and no partial derivative
/// vanishes: at a hinge or |w| kink they straddle two slopes, and a zero derivative (the hinge losses'
/// bias gradients are multiples of 1/n, often exactly 0) leaves only round-off, a relative error of 1.
bool well_posed(const Problem& pr, const Eigen::VectorXd& x, const GradientCheckParams& p) {
  constexpr double kMargin = 1e-3;
  if ((pr.W(x).array().abs() < kMargin).any()) return false;
  RowMatrix<double> scores(pr.X.rows(), pr.classes);
  forward_scores<double>(pr.X, pr.W(x), pr.b(x), scores);
  for (Eigen::Index i = 0; i < scores.rows(); ++i) {
    for (int j = 0; j < pr.classes; ++j) {
      if (j != pr.labels[i] && std::abs(scores(i, j) - scores(i, pr.labels[i]) + p.delta) < kMargin)
        return false;
    }
  }
  Eigen::VectorXd grad;
  for (LossKind lk : all_losses()) {
    data_objective(pr, {lk, p.delta}, x, &grad);
    if ((grad.array().abs() < kMargin).any()) return false;
  }
  return true;
}

}  // namespace

double relative_error(double numeric, double analytic) {
  return std::abs(numeric - analytic) / std::max(std::abs(numeric) + std::abs(analytic), 1e-12);
}

double max_gradient_error(const Objective& f, const Eigen::VectorXd& x, double step) {
  Eigen::VectorXd analytic;
  f(x, &analytic);
  Eigen::VectorXd probe = x;
  double worst = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    probe[i] = x[i] + step;
    const double up = f(probe, nullptr);
    probe[i] = x[i] - step;
    const double down = f(probe, nullptr);
    probe[i] = x[i];
    worst = std::max(worst, relative_error((up - down) / (2 * step), analytic[i]));
  }
  return worst;
}

std::vector<GradientCheckRow> gradient_check(const GradientCheckParams& p) {
  Problem pr;
  Eigen::VectorXd x;
  for (int attempt = 0;; ++attempt) {
    if (attempt == kMaxDraws)
      throw std::invalid_argument("gradient check: no well-posed random problem found");
    draw_problem(p, attempt, pr, x);
    if (well_posed(pr, x, p)) break;
  }

  std::vector<GradientCheckRow> rows;
  for (LossKind lk : all_losses()) {
    const LossParams loss{lk, p.delta};
    const auto data = [&](const Eigen::VectorXd& v, Eigen::VectorXd* g) {
      return data_objective(pr, loss, v, g);
    };
    const double data_error = max_gradient_error(data, x, p.step);
    for (RegKind rk : all_regs()) {
      const RegParams reg{rk, p.lambda, 0.5};
      const auto regularizer = [&](const Eigen::VectorXd& v, Eigen::VectorXd* g) {
        return reg_objective(pr, reg, v, g);
      };
      const auto total = [&](const Eigen::VectorXd& v, Eigen::VectorXd* g) {
        Eigen::VectorXd gr;
        const double value = data(v, g) + regularizer(v, g ? &gr : nullptr);
        if (g) *g += gr;
        return value;
      };
      const double reg_error = rk == RegKind::none ? 0.0 : max_gradient_error(regularizer, x, p.step);
      rows.push_back({lk, rk, data_error, reg_error, max_gradient_error(total, x, p.step)});
    }
  }
  return rows;
}

}  // namespace featpipe::classify
