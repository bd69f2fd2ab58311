#pragma once
// Eigen types shared by vocab/: one descriptor (or centre) per row, row-major, as stores hold them.
#include <cstdint>

// GCC 12 reports false -Wmaybe-uninitialized inside its own AVX-512 intrinsics when Eigen's kernels are
// inlined (GCC bug 105593, fixed in GCC 13); every vocab file includes Eigen through here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Core>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace featpipe::vocab {

template <typename T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Views that bind to a RowMatrix, a Map of row-major memory or a block of rows without copying.
template <typename T>
using MatrixView = Eigen::Ref<RowMatrix<T>>;
template <typename T>
using ConstMatrixView = Eigen::Ref<const RowMatrix<T>>;

/// Row-major float memory seen as an n x d matrix.
inline Eigen::Map<const RowMatrix<float>> rows_view(const float* data, std::size_t n, std::size_t d) {
  return {data, static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d)};
}

}  // namespace featpipe::vocab
