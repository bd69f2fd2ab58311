// The vocabulary stage's kernels (distances, k-means, the GMM, the encoders' coders): each call goes to the
// variant of the active CPU level.
#include "featpipe/core/dispatch.h"

#include "coder.h"
#include "featpipe/vocab/distances.h"
#include "featpipe/vocab/gmm.h"
#include "featpipe/vocab/kmeans.h"
#include "fourier_kernel.h"
#include "gmm_kernels.h"

namespace featpipe::vocab {

FEATPIPE_DISPATCHED(Eigen::VectorXf, squared_norms, (ConstMatrixView<float> rows), (rows))
FEATPIPE_DISPATCHED(void, squared_distances,
                    (ConstMatrixView<float> x, ConstMatrixView<float> centres,
                     const Eigen::VectorXf& centre_norms, MatrixView<float> out),
                    (x, centres, centre_norms, out))
FEATPIPE_DISPATCHED(void, nearest_centres,
                    (ConstMatrixView<float> x, ConstMatrixView<float> centres, int32_t* labels,
                     float* sq_distances, std::size_t block_rows),
                    (x, centres, labels, sq_distances, block_rows))

FEATPIPE_DISPATCHED(RowMatrix<float>, kmeans_plus_plus,
                    (ConstMatrixView<float> x, const KMeansParams& params), (x, params))
FEATPIPE_DISPATCHED(KMeansResult, kmeans_lloyd,
                    (ConstMatrixView<float> x, RowMatrix<float> centres, const KMeansParams& params),
                    (x, std::move(centres), params))
FEATPIPE_DISPATCHED(KMeansResult, kmeans, (ConstMatrixView<float> x, const KMeansParams& params), (x, params))

FEATPIPE_DISPATCHED(GmmResult, fit_gmm, (ConstMatrixView<float> x, const GmmParams& params), (x, params))
FEATPIPE_DISPATCHED(void, gmm_linear_form,
                    (const Gmm& gmm, RowMatrix<float>& coeffs, Eigen::RowVectorXf& constant),
                    (gmm, coeffs, constant))
FEATPIPE_DISPATCHED(double, gmm_log_posteriors,
                    (const RowMatrix<float>& coeffs, const Eigen::RowVectorXf& constant,
                     ConstMatrixView<float> x, MatrixView<float> out),
                    (coeffs, constant, x, out))

FEATPIPE_DISPATCHED(void, fourier_features,
                    (const float* wt, const float* phases, std::size_t input_dim, std::size_t dim,
                     std::size_t padded_dim, float norm, const float* x, std::size_t rows, float* out),
                    (wt, phases, input_dim, dim, padded_dim, norm, x, rows, out))

FEATPIPE_DISPATCHED(std::unique_ptr<Coder>, make_bow_coder, (const Vocabulary& vocabulary), (vocabulary))
FEATPIPE_DISPATCHED(std::unique_ptr<Coder>, make_soft_coder,
                    (const Vocabulary& vocabulary, int neighbours, double beta),
                    (vocabulary, neighbours, beta))
FEATPIPE_DISPATCHED(std::unique_ptr<Coder>, make_vlad_coder, (const Vocabulary& vocabulary), (vocabulary))
FEATPIPE_DISPATCHED(std::unique_ptr<Coder>, make_fisher_coder, (const Vocabulary& vocabulary), (vocabulary))
FEATPIPE_DISPATCHED(std::unique_ptr<Coder>, make_triangle_coder, (const Vocabulary& vocabulary), (vocabulary))
FEATPIPE_DISPATCHED(std::unique_ptr<Coder>, make_llc_coder,
                    (const Vocabulary& vocabulary, int knn, double beta), (vocabulary, knn, beta))

}  // namespace featpipe::vocab
