#include "linear_scores.h"

#include <algorithm>

#include "featpipe/classify/finite_check.h"
#include "featpipe/core/parallel_blocks.h"

namespace featpipe::classify::FEATPIPE_ISA {

namespace {

/// fn(begin, count) for every block of rows of n, in parallel. The blocks start at row 0 whatever n is, so
/// a row block of a caller that reads its rows by multiples of kRowsPerTask meets the same blocks.
template <typename Fn>
void for_each_row_task(int64_t n, Fn&& fn) {
  constexpr int64_t kRowsPerTask = 256;
  for_each_block((n + kRowsPerTask - 1) / kRowsPerTask, [&](int64_t t) {
    const int64_t begin = t * kRowsPerTask;
    fn(begin, std::min(kRowsPerTask, n - begin));
  });
}

}  // namespace

void score_rows(ConstMatrixView<float> rows, ConstMatrixView<float> W, ConstRowVectorView<float> b,
                MatrixView<float> scores) {
  for_each_row_task(rows.rows(), [&](int64_t begin, int64_t count) {
    forward_scores<float>(rows.middleRows(begin, count), W, b, scores.middleRows(begin, count));
  });
}

void predict_rows(ConstMatrixView<float> rows, ConstMatrixView<float> W, ConstRowVectorView<float> b,
                  int32_t* out) {
  for_each_row_task(rows.rows(), [&](int64_t begin, int64_t count) {
    RowMatrix<float> scores(count, W.cols());
    forward_scores<float>(rows.middleRows(begin, count), W, b, scores);
    for (int64_t i = 0; i < count; ++i) {
      const bool finite = all_finite({scores.row(i).data(), static_cast<std::size_t>(scores.cols())});
      out[begin + i] = finite ? argmax<float>(scores.row(i)) : kNonFiniteScores;
    }
  });
}

}  // namespace featpipe::classify::FEATPIPE_ISA
