// The classifier stage's kernels: training (the whole loop, whose every step runs the loss, penalty and
// optimiser of the same level: cmake/dispatch.cmake compiles those sources per level too), its row kernels
// and prediction. Each call goes to the variant of the active CPU level.
#include "featpipe/core/dispatch.h"

#include "featpipe/classify/trainer.h"
#include "linear_scores.h"
#include "narrow_kernels.h"
#include "row_kernels.h"

namespace featpipe::classify {

FEATPIPE_DISPATCHED(TrainResult, train,
                    (const TrainParams& p, const LabelledRows& train, const LabelledRows* val, int classes,
                     const TrainObserver& observer, const TrainState* resume, const Collective& job),
                    (p, train, val, classes, observer, resume, job))

FEATPIPE_DISPATCHED(void, narrow_forward,
                    (const float* const* rows, int64_t n, int64_t dim, const float* Wt, const float* b,
                     int64_t classes, float* scores),
                    (rows, n, dim, Wt, b, classes, scores))
FEATPIPE_DISPATCHED(void, narrow_forward,
                    (const uint8_t* const* rows, int64_t n, int64_t dim, const float* Wt, const float* b,
                     int64_t classes, float* scores),
                    (rows, n, dim, Wt, b, classes, scores))
FEATPIPE_DISPATCHED(void, narrow_backward,
                    (const float* const* rows, int64_t n, int64_t dim, const float* dscores, int64_t classes,
                     float scale, float* dWt, float* db),
                    (rows, n, dim, dscores, classes, scale, dWt, db))
FEATPIPE_DISPATCHED(void, narrow_backward,
                    (const uint8_t* const* rows, int64_t n, int64_t dim, const float* dscores,
                     int64_t classes, float scale, float* dWt, float* db),
                    (rows, n, dim, dscores, classes, scale, dWt, db))

FEATPIPE_DISPATCHED(int64_t, padded_classes, (int64_t classes), (classes))
FEATPIPE_DISPATCHED(void, rows_forward,
                    (const float* const* rows, int64_t n, int64_t dim, const float* W, const float* b,
                     int64_t padded, float* scores),
                    (rows, n, dim, W, b, padded, scores))
FEATPIPE_DISPATCHED(void, rows_backward,
                    (const float* const* rows, int64_t n, int64_t dim, const float* dscores, int64_t padded,
                     float scale, float* dW, float* db),
                    (rows, n, dim, dscores, padded, scale, dW, db))

FEATPIPE_DISPATCHED(void, score_rows,
                    (ConstMatrixView<float> rows, ConstMatrixView<float> W, ConstRowVectorView<float> b,
                     MatrixView<float> scores),
                    (rows, W, b, scores))
FEATPIPE_DISPATCHED(void, predict_rows,
                    (ConstMatrixView<float> rows, ConstMatrixView<float> W, ConstRowVectorView<float> b,
                     int32_t* out),
                    (rows, W, b, out))

}  // namespace featpipe::classify
