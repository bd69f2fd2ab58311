#pragma once
// Eigen types shared by every stage: one sample (descriptor, centre) per row, row-major, as stores hold them.
#include <cstddef>
#include <cstdint>
#include <span>

// GCC 12 reports false -Wmaybe-uninitialized inside its own AVX-512 intrinsics when Eigen's kernels are
// inlined (GCC bug 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Core>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace featpipe {

template <typename T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

/// Views that bind to a RowMatrix, a Map of row-major memory or a block of rows without copying.
template <typename T>
using MatrixView = Eigen::Ref<RowMatrix<T>>;
template <typename T>
using ConstMatrixView = Eigen::Ref<const RowMatrix<T>>;

/// Row-major float memory seen as an n x d matrix.
inline Eigen::Map<const RowMatrix<float>> rows_view(const float* data, std::size_t n, std::size_t d) {
  return {data, static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d)};
}

/// Class indices in [0, classes), one per row.
using Labels = std::span<const int32_t>;

}  // namespace featpipe
