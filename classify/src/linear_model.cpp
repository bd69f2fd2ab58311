#include "featpipe/classify/linear_model.h"

#include <algorithm>
#include <stdexcept>

#include "featpipe/classify/finite_check.h"
#include "linear_scores.h"

namespace featpipe::classify {
namespace {

void check_dim(const LinearModel& model, uint64_t dim) {
  if (dim != model.dim()) {
    throw std::invalid_argument("model expects " + std::to_string(model.dim()) + " features per row, got " +
                                std::to_string(dim));
  }
}

}  // namespace

RowMatrix<float> predict_scores(const LinearModel& model, ConstMatrixView<float> rows) {
  check_dim(model, rows.cols());
  check_finite(rows);
  RowMatrix<float> standardised = rows;
  model.preprocess.apply(standardised);
  RowMatrix<float> scores(rows.rows(), model.W.cols());
  forward_scores<float>(standardised, model.W, model.b, scores);
  check_finite_scores(scores);
  return scores;
}

std::vector<int32_t> predict(const LinearModel& model, const RowSource& source, uint64_t block_rows) {
  check_dim(model, source.dim());
  const uint64_t n = source.rows();
  block_rows = std::max<uint64_t>(1, std::min(block_rows, n));
  std::vector<int32_t> predicted(n);
  RowMatrix<float> block(block_rows, source.dim());
  for (uint64_t begin = 0; begin < n; begin += block_rows) {
    const uint64_t count = std::min(block_rows, n - begin);
    source.read_rows(begin, count, block.data());
    auto rows = block.topRows(count);
    check_finite(rows, begin);
    model.preprocess.apply(rows);
    predict_rows(rows, model.W, model.b, predicted.data() + begin);
    for (uint64_t i = 0; i < count; ++i) {
      if (predicted[begin + i] == kNonFiniteScores) non_finite_scores(begin + i);
    }
  }
  return predicted;
}

}  // namespace featpipe::classify
