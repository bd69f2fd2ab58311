#pragma once
// A trained linear classifier: scores = standardise(x) W + b, class = argmax.
#include <cstdint>
#include <string>
#include <vector>

#include "featpipe/classify/row_source.h"
#include "featpipe/classify/standardizer.h"
#include "featpipe/core/matrix.h"

namespace featpipe::classify {

struct LinearModel {
  RowMatrix<float> W;                    // [D, C], on standardised features
  RowVector<float> b;                    // [C], not regularised
  Standardizer preprocess;               // applied to raw features first
  std::vector<std::string> class_names;  // [C]

  uint64_t dim() const { return W.rows(); }
  int classes() const { return static_cast<int>(W.cols()); }
};

/// Scores [n, C] of raw feature rows [n, D] (standardised inside). Parallel over fixed row blocks, those of
/// predict: the argmax of a row's scores is its predicted class. std::invalid_argument naming the row, as
/// row first_row + r of its source, that holds a NaN or infinity or whose scores overflow.
RowMatrix<float> predict_scores(const LinearModel& model, ConstMatrixView<float> rows,
                                uint64_t first_row = 0);

/// argmax of the scores of every row of source (ties: the lower class), read block_rows at a time.
std::vector<int32_t> predict(const LinearModel& model, const RowSource& source, uint64_t block_rows = 8192);

/// The k best classes of every row of source, best first (ties: the lower class), row-major [n, k]; k is
/// capped at the number of classes. From predict_scores' scores, read block_rows at a time.
std::vector<int32_t> predict_top(const LinearModel& model, const RowSource& source, int k,
                                 uint64_t block_rows = 8192);

/// The share of rows whose label is among their k best classes (top: predict_top's [n, k]).
double top_k_accuracy(Labels truth, const std::vector<int32_t>& top, int k);

}  // namespace featpipe::classify
