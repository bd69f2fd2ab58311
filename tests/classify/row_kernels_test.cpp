// The training kernels against Eigen's products on the same rows: the same scores and gradients, for
// class counts that exercise every panel shape and row counts that leave remainders.
#include "../../classify/src/row_kernels.h"

#include <gtest/gtest.h>

#include <utility>

#include "featpipe/core/matrix.h"

namespace featpipe::classify {
namespace {

// 600 features: the panel path (over two vectors of classes) goes through them in chunks of 256.
TEST(RowKernels, MatchEigenProducts) {
  for (int classes : {2, 10, 17, 40, 100}) {
    for (const auto& [n, dim] :
         {std::pair{1, 37}, std::pair{7, 37}, std::pair{64, 37}, std::pair{7, 600}, std::pair{64, 600}}) {
      const int64_t padded = padded_classes(classes);
      ASSERT_GE(padded, classes);
      const RowMatrix<float> X = RowMatrix<float>::Random(n, dim);
      RowMatrix<float> W = RowMatrix<float>::Zero(dim, padded), dS = RowMatrix<float>::Zero(n, padded);
      RowVector<float> b = RowVector<float>::Zero(padded);
      W.leftCols(classes).setRandom();
      b.leftCols(classes).setRandom();
      dS.leftCols(classes).setRandom();
      std::vector<const float*> rows(n);
      for (int i = 0; i < n; ++i) rows[i] = X.row(n - 1 - i).data();  // any order of rows
      RowMatrix<float> reversed = X.colwise().reverse();

      RowMatrix<float> scores(n, padded);
      rows_forward(rows.data(), n, dim, W.data(), b.data(), padded, scores.data());
      const RowMatrix<float> expected = (reversed * W).rowwise() + b;
      EXPECT_TRUE(scores.isApprox(expected, 1e-5f)) << classes << " classes, " << n << " rows, " << dim;
      EXPECT_TRUE(scores.rightCols(padded - classes).isZero());

      RowMatrix<float> dW = RowMatrix<float>::Constant(dim, padded, 7.0f);  // overwritten
      RowVector<float> db(padded);
      rows_backward(rows.data(), n, dim, dS.data(), padded, 0.5f, dW.data(), db.data());
      EXPECT_TRUE(dW.isApprox(0.5f * reversed.transpose() * dS, 1e-5f))
          << classes << " classes, " << n << " rows, " << dim << " features";
      EXPECT_TRUE(db.isApprox(0.5f * dS.colwise().sum(), 1e-5f));
      EXPECT_TRUE(dW.rightCols(padded - classes).isZero());
    }
  }
}

}  // namespace
}  // namespace featpipe::classify
