#pragma once
// Private: the training kernels for few classes (up to kNarrowMaxClasses). W is kept transposed, Wt
// [classes, D] row-major, and each score is a dot product along the row. row_kernels.h pads classes to
// whole SIMD vectors, which for 10 classes in 16 lanes wastes 6 of 16 multiply-adds; here every
// multiply-add is used, at the price of one tree of shuffles per row to sum the lanes. Rows are given by
// pointers into the training rows, as in row_kernels.h. Compiled per CPU level (kernels/narrow_kernels.cpp,
// core/dispatch.h).
#include <cstdint>

namespace featpipe::classify {

constexpr int64_t kNarrowMaxClasses = 12;

/// Whether `classes` is trained with these kernels rather than row_kernels.h's.
inline bool narrow_layout(int64_t classes) { return classes >= 1 && classes <= kNarrowMaxClasses; }

/// scores[r * classes + c] = b[c] + sum_d rows[r][d] Wt[c * dim + d] for r in [0, n). Rows of floats, or
/// of bytes (byte_rows.h) taken as the floats 0 to 255.
void narrow_forward(const float* const* rows, int64_t n, int64_t dim, const float* Wt, const float* b,
                    int64_t classes, float* scores);
void narrow_forward(const uint8_t* const* rows, int64_t n, int64_t dim, const float* Wt, const float* b,
                    int64_t classes, float* scores);

/// dWt[c * dim + d] = scale sum_r dscores[r * classes + c] rows[r][d] and db[c] = scale sum_r
/// dscores[r * classes + c], overwritten.
void narrow_backward(const float* const* rows, int64_t n, int64_t dim, const float* dscores, int64_t classes,
                     float scale, float* dWt, float* db);
void narrow_backward(const uint8_t* const* rows, int64_t n, int64_t dim, const float* dscores,
                     int64_t classes, float scale, float* dWt, float* db);

}  // namespace featpipe::classify
