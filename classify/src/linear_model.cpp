#include "featpipe/classify/linear_model.h"

#include <algorithm>
#include <numeric>
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

RowMatrix<float> predict_scores(const LinearModel& model, ConstMatrixView<float> rows, uint64_t first_row) {
  check_dim(model, rows.cols());
  check_finite(rows, first_row);
  RowMatrix<float> standardised = rows;
  model.preprocess.apply(standardised);
  RowMatrix<float> scores(rows.rows(), model.W.cols());
  score_rows(standardised, model.W, model.b, scores);
  check_finite_scores(scores, first_row);
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

std::vector<int32_t> predict_top(const LinearModel& model, const RowSource& source, int k,
                                 uint64_t block_rows) {
  if (k < 1) throw std::invalid_argument("predict_top: k must be at least 1");
  k = std::min(k, model.classes());
  check_dim(model, source.dim());
  const uint64_t n = source.rows();
  block_rows = std::max<uint64_t>(1, std::min(block_rows, n));
  std::vector<int32_t> top(n * uint64_t(k));
  RowMatrix<float> block(block_rows, source.dim());
  for (uint64_t begin = 0; begin < n; begin += block_rows) {
    const uint64_t count = std::min(block_rows, n - begin);
    source.read_rows(begin, count, block.data());
    const RowMatrix<float> scores = predict_scores(model, block.topRows(count), begin);
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < int64_t(count); ++r) {
      std::vector<int32_t> order(static_cast<std::size_t>(model.classes()));
      std::iota(order.begin(), order.end(), 0);
      const auto row = scores.row(r);
      std::partial_sort(order.begin(), order.begin() + k, order.end(),
                        [&](int32_t a, int32_t b) { return row(a) > row(b) || (row(a) == row(b) && a < b); });
      std::copy_n(order.begin(), k, top.begin() + (begin + uint64_t(r)) * uint64_t(k));
    }
  }
  return top;
}

double top_k_accuracy(Labels truth, const std::vector<int32_t>& top, int k) {
  if (truth.empty()) return 0;
  if (top.size() != truth.size() * std::size_t(k))
    throw std::invalid_argument("top_k_accuracy: sizes differ");
  std::size_t hits = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const auto first = top.begin() + std::ptrdiff_t(i * std::size_t(k));
    hits += std::find(first, first + k, truth[i]) != first + k;
  }
  return double(hits) / double(truth.size());
}

}  // namespace featpipe::classify
