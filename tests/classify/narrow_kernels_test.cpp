// The few-class training kernels against Eigen's products on the same rows: the same scores and
// gradients for every supported class count, row counts that leave an odd row, and dimensions with and
// without a remainder past the last whole SIMD vector; and rows of bytes against the same values as floats.
#include "../../classify/src/narrow_kernels.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "featpipe/core/matrix.h"
#include "featpipe/core/random.h"

namespace featpipe::classify {
namespace {

/// The two kernels add the same rounded products in other orders (and with or without fused multiply-adds,
/// whatever the CPU's vector width): each sum may differ by a few roundings of its partial sums, which are
/// bounded by the sum of the terms' magnitudes, not by the result (terms of both signs can cancel to a
/// result far smaller than them). 16 float epsilons of that magnitude is a few ulps of each partial sum
/// for any lane width, and a hundred times smaller than any single term of a dim-784 row.
float summation_tolerance(float magnitude) { return 16 * std::numeric_limits<float>::epsilon() * magnitude; }

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

TEST(NarrowKernels, ByteRowsMatchTheSameValuesAsFloats) {
  random::Generator rng(5, random::Stream::test);
  for (int classes = 1; classes <= kNarrowMaxClasses; ++classes) {
    for (int n : {1, 2, 3, 7, 64}) {
      for (int dim : {5, 16, 37, 784}) {
        std::vector<uint8_t> codes(static_cast<std::size_t>(n) * dim);
        for (uint8_t& k : codes) k = static_cast<uint8_t>(rng.next() % 256);
        codes[0] = 255;
        RowMatrix<float> X(n, dim);
        for (int i = 0; i < n * dim; ++i) X.data()[i] = static_cast<float>(codes[i]);
        const RowMatrix<float> Wt = RowMatrix<float>::Random(classes, dim) / 255.0f;
        const RowVector<float> b = RowVector<float>::Random(classes);
        const RowMatrix<float> dS = RowMatrix<float>::Random(n, classes);
        std::vector<const uint8_t*> byte_rows(n);
        std::vector<const float*> float_rows(n);
        for (int i = 0; i < n; ++i) {  // any order of rows
          byte_rows[i] = codes.data() + static_cast<std::size_t>((i * 5 + 3) % n) * dim;
          float_rows[i] = X.row((i * 5 + 3) % n).data();
        }
        const std::string what =
            std::to_string(classes) + " classes, " + std::to_string(n) + " rows, dim " + std::to_string(dim);

        RowMatrix<float> from_bytes(n, classes), from_floats(n, classes);
        narrow_forward(byte_rows.data(), n, dim, Wt.data(), b.data(), classes, from_bytes.data());
        narrow_forward(float_rows.data(), n, dim, Wt.data(), b.data(), classes, from_floats.data());
        RowMatrix<float> ordered(n, dim);
        for (int i = 0; i < n; ++i) ordered.row(i) = X.row((i * 5 + 3) % n);
        // |b| + sum_d |x w|: the magnitude of the terms each score sums
        const RowMatrix<float> score_terms =
            (ordered.cwiseAbs() * Wt.cwiseAbs().transpose()).rowwise() + b.cwiseAbs();
        for (int i = 0; i < n * classes; ++i) {
          EXPECT_NEAR(from_bytes.data()[i], from_floats.data()[i], summation_tolerance(score_terms.data()[i]))
              << what << ", score " << i;
        }
        // and both are the scores
        EXPECT_TRUE(from_bytes.isApprox((ordered * Wt.transpose()).rowwise() + b, 1e-5f)) << what;

        RowMatrix<float> dWt_bytes = RowMatrix<float>::Constant(classes, dim, 7.0f);  // overwritten
        RowMatrix<float> dWt_floats = RowMatrix<float>::Constant(classes, dim, -7.0f);
        RowVector<float> db_bytes = RowVector<float>::Constant(classes, 7.0f);
        RowVector<float> db_floats = RowVector<float>::Constant(classes, -7.0f);
        narrow_backward(byte_rows.data(), n, dim, dS.data(), classes, 0.25f, dWt_bytes.data(),
                        db_bytes.data());
        narrow_backward(float_rows.data(), n, dim, dS.data(), classes, 0.25f, dWt_floats.data(),
                        db_floats.data());
        const RowMatrix<float> gradient_terms = 0.25f * dS.cwiseAbs().transpose() * ordered.cwiseAbs();
        for (int i = 0; i < classes * dim; ++i) {
          EXPECT_NEAR(dWt_bytes.data()[i], dWt_floats.data()[i],
                      summation_tolerance(gradient_terms.data()[i]))
              << what << ", dWt " << i;
        }
        for (int c = 0; c < classes; ++c) EXPECT_EQ(db_bytes[c], db_floats[c]) << what;
        EXPECT_TRUE(dWt_bytes.isApprox(0.25f * dS.transpose() * ordered, 1e-5f)) << what;
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
