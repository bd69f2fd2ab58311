#pragma once
// Eigen types shared by classify/: one sample per row, row-major, as feature stores hold them.
#include <Eigen/Core>
#include <cstdint>
#include <span>

namespace featpipe::classify {

template <typename T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

/// Views that bind to a RowMatrix, a Map of row-major memory or a block of rows without copying.
template <typename T>
using MatrixView = Eigen::Ref<RowMatrix<T>>;
template <typename T>
using ConstMatrixView = Eigen::Ref<const RowMatrix<T>>;

/// Class indices in [0, classes), one per row.
using Labels = std::span<const int32_t>;

}  // namespace featpipe::classify
