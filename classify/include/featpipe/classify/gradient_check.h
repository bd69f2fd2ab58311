#pragma once
// Numerical vs analytic gradients of the objective, in double precision: central differences
// (f(x + h) - f(x - h)) / 2h against the analytic gradient, compared by relative error
// |n - a| / max(|n| + |a|, 1e-12) (CS231n).
#include <cstdint>
#include <functional>
#include <vector>

#include "featpipe/classify/loss.h"
#include "featpipe/classify/regularizer.h"
#include "featpipe/core/matrix.h"

namespace featpipe::classify {

inline constexpr double kGradientTolerance = 1e-6;

double relative_error(double numeric, double analytic);

/// f returns the value at x and writes the gradient into *grad when grad is not null.
using Objective = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd* grad)>;

/// The largest relative error over the coordinates of x.
double max_gradient_error(const Objective& f, const Eigen::VectorXd& x, double step);

struct GradientCheckParams {
  int rows = 8;  // samples in the random problem
  int dim = 6;   // features
  int classes = 4;
  double lambda = 0.1;  // regulariser strength (large enough for its gradient to matter)
  double delta = 1.0;   // svm / squared-hinge margin
  double step = 1e-5;   // h
  uint64_t seed = 0;
};

struct GradientCheckRow {
  LossKind loss;
  RegKind reg;
  double data_error;   // the data loss alone, over W and b
  double reg_error;    // the penalty alone, over W; 0 for none
  double total_error;  // data loss + penalty, over W and b
};

/// Every loss x regulariser on one random problem (X ~ N(0, 1), W ~ N(0, 1), random labels).
std::vector<GradientCheckRow> gradient_check(const GradientCheckParams& p);

}  // namespace featpipe::classify
