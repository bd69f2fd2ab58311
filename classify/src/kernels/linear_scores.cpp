#include "linear_scores.h"

#include <algorithm>

#include "featpipe/classify/finite_check.h"
#include "featpipe/core/parallel_blocks.h"

namespace featpipe::classify::FEATPIPE_ISA {

void predict_rows(ConstMatrixView<float> rows, ConstMatrixView<float> W, ConstRowVectorView<float> b,
                  int32_t* out) {
  constexpr int64_t kRowsPerTask = 256;
  const int64_t n = rows.rows(), tasks = (n + kRowsPerTask - 1) / kRowsPerTask;
  for_each_block(tasks, [&](int64_t t) {
    const int64_t begin = t * kRowsPerTask, count = std::min(kRowsPerTask, n - begin);
    RowMatrix<float> scores(count, W.cols());
    forward_scores<float>(rows.middleRows(begin, count), W, b, scores);
    for (int64_t i = 0; i < count; ++i) {
      const bool finite = all_finite({scores.row(i).data(), static_cast<std::size_t>(scores.cols())});
      out[begin + i] = finite ? argmax<float>(scores.row(i)) : kNonFiniteScores;
    }
  });
}

}  // namespace featpipe::classify::FEATPIPE_ISA
