// The few-class training kernels against Eigen's products on the same rows: the same scores and
// gradients for every supported class count, row counts that leave an odd row, and dimensions with and
// without a remainder past the last whole SIMD vector.
#include "../../classify/src/narrow_kernels.h"

#include <gtest/gtest.h>

#include "featpipe/classify/matrix.h"

namespace featpipe::classify {
namespace {

TEST(NarrowKernels, MatchEigenProducts) {
  for (int classes = 1; classes <= kNarrowMaxClasses; ++classes) {
    for (int n : {1, 2, 7, 64}) {
      for (int dim : {5, 32, 37, 784}) {
        const RowMatrix<float> X = RowMatrix<float>::Random(n, dim);
        const RowMatrix<float> Wt = RowMatrix<float>::Random(classes, dim);
        const RowVector<float> b = RowVector<float>::Random(classes);
        const RowMatrix<float> dS = RowMatrix<float>::Random(n, classes);
        std::vector<const float*> rows(n);
        for (int i = 0; i < n; ++i) rows[i] = X.row(n - 1 - i).data();  // any order of rows
        const RowMatrix<float> reversed = X.colwise().reverse();

        RowMatrix<float> scores(n, classes);
        narrow_forward(rows.data(), n, dim, Wt.data(), b.data(), classes, scores.data());
        const RowMatrix<float> expected = (reversed * Wt.transpose()).rowwise() + b;
        EXPECT_TRUE(scores.isApprox(expected, 1e-5f)) << classes << " classes, " << n << " rows, dim " << dim;

        RowMatrix<float> dWt = RowMatrix<float>::Constant(classes, dim, 7.0f);  // overwritten
        RowVector<float> db = RowVector<float>::Constant(classes, 7.0f);
        narrow_backward(rows.data(), n, dim, dS.data(), classes, 0.5f, dWt.data(), db.data());
        EXPECT_TRUE(dWt.isApprox(0.5f * dS.transpose() * reversed, 1e-5f))
            << classes << " classes, " << n << " rows, dim " << dim;
        EXPECT_TRUE(db.isApprox(0.5f * dS.colwise().sum(), 1e-5f));
      }
    }
  }
}

TEST(NarrowKernels, LayoutChoice) {
  EXPECT_TRUE(narrow_layout(2));
  EXPECT_TRUE(narrow_layout(10));
  EXPECT_TRUE(narrow_layout(kNarrowMaxClasses));
  EXPECT_FALSE(narrow_layout(kNarrowMaxClasses + 1));
  EXPECT_FALSE(narrow_layout(100));
}

}  // namespace
}  // namespace featpipe::classify
