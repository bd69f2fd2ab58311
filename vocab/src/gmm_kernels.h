#pragma once
// Private: the posterior computation behind GmmPosteriors, compiled per CPU level (kernels/gmm.cpp,
// core/dispatch.h).
#include "featpipe/core/matrix.h"
#include "featpipe/vocab/gmm.h"

namespace featpipe::vocab {

/// The mixture as one linear form: log(w_k N(x | mu_k, var_k)) = [x^2, x] . coeffs_k + constant_k.
void gmm_linear_form(const Gmm& gmm, RowMatrix<float>& coeffs, Eigen::RowVectorXf& constant);

/// out = the posteriors of x's rows under the linear form (shapes checked by the caller); returns the sum
/// of log p(x) over the rows.
double gmm_log_posteriors(const RowMatrix<float>& coeffs, const Eigen::RowVectorXf& constant,
                          ConstMatrixView<float> x, MatrixView<float> out);

}  // namespace featpipe::vocab
