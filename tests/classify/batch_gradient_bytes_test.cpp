// BatchGradient on byte rows (byte_rows.h): the step from the codes through the folded affine map gives
// the data loss, penalty, correct count and gradient of the step on the same rows as floats standardised
// by the same Standardizer, for softmax and svm with L2 and L1 penalties; and it refuses layouts it does
// not support.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../classify/src/batch_gradient.h"
#include "../../classify/src/byte_rows.h"
#include "blobs.h"
#include "featpipe/classify/standardizer.h"
#include "featpipe/core/matrix.h"
#include "featpipe/core/random.h"

namespace featpipe::classify {
namespace {

constexpr int kClasses = 10;

bool close(double a, double b, double rel) { return std::abs(a - b) <= rel * std::abs(b); }

TEST(BatchGradientBytes, MatchesStandardisedFloatRows) {
  const int n = 300, dim = 37;
  const Blobs px = make_pixel_blobs(n, dim, kClasses, 1);
  const MatrixSource source = px.source();
  const std::optional<ByteRows> bytes = read_byte_rows(source);
  ASSERT_TRUE(bytes.has_value());
  for (bool own_statistics : {true, false}) {
    // byte_standardizer's statistics, as the trainer uses them, and fit_standardizer's
    const Standardizer st = own_statistics ? byte_standardizer(*bytes) : fit_standardizer(source);
    const ByteAffine affine = byte_affine(*bytes, st);
    RowMatrix<float> z = px.x;
    st.apply(z);

    // a minibatch of 200 rows in random order (several blocks, the last partial), and one of 5
    random::Generator rng(2, random::Stream::test);
    std::vector<int64_t> big(200), small(5);
    for (int64_t& i : big) i = static_cast<int64_t>(rng.next() % n);
    for (int64_t& i : small) i = static_cast<int64_t>(rng.next() % n);

    for (LossKind loss : {LossKind::softmax, LossKind::svm}) {
      for (RegKind reg : {RegKind::l2, RegKind::l1}) {
        TrainParams p;
        p.loss.kind = loss;
        p.reg.kind = reg;
        p.reg.lambda = 1e-2;
        p.batch = 256;
        BatchGradient float_step(p, dim, kClasses, 2), byte_step(p, dim, kClasses, 2);
        // weights large enough that svm margins are both met and missed
        const RowMatrix<float> W = RowMatrix<float>::Random(dim, kClasses) * 0.3f;
        const RowVector<float> b = RowVector<float>::Random(kClasses) * 0.3f;
        Eigen::VectorXf params;
        float_step.pack(W, b, params);
        for (const std::vector<int64_t>* batch : {&big, &small}) {
          const std::string what = to_string(loss) + ", " + to_string(reg) + ", " +
                                   std::to_string(batch->size()) + " rows" +
                                   (own_statistics ? "" : ", fit_standardizer");
          Eigen::VectorXf float_grad, byte_grad = Eigen::VectorXf::Constant(params.size(), 5.0f);
          const BatchGradient::Result f = float_step.compute(z, px.y, *batch, params, 0, float_grad);
          const BatchGradient::Result r = byte_step.compute(*bytes, affine, px.y, *batch, params, byte_grad);
          EXPECT_GT(f.data_loss, 0) << what;
          EXPECT_GT(f.penalty, 0) << what;
          EXPECT_TRUE(close(r.data_loss, f.data_loss, 1e-5))
              << what << ": " << r.data_loss << " vs " << f.data_loss;
          EXPECT_TRUE(close(r.penalty, f.penalty, 1e-5)) << what << ": " << r.penalty << " vs " << f.penalty;
          EXPECT_EQ(r.correct, f.correct) << what;
          ASSERT_EQ(byte_grad.size(), float_grad.size()) << what;
          EXPECT_TRUE(byte_grad.isApprox(float_grad, 1e-5f))
              << what << ": relative error " << (byte_grad - float_grad).norm() / float_grad.norm();
          // per weight as well, relative to the largest of its class
          RowMatrix<float> Wf, Wb;
          RowVector<float> bf, bb;
          float_step.unpack(float_grad, Wf, bf);
          byte_step.unpack(byte_grad, Wb, bb);
          for (int c = 0; c < kClasses; ++c) {
            const float largest = Wf.col(c).cwiseAbs().maxCoeff();
            for (int d = 0; d < dim; ++d) {
              EXPECT_NEAR(Wb(d, c), Wf(d, c), 1e-5f * largest) << what << ", dW(" << d << ", " << c << ")";
            }
            EXPECT_NEAR(bb[c], bf[c], 1e-5f * std::abs(bf[c]) + 1e-7f) << what << ", db " << c;
          }
        }
      }
    }
  }
}

TEST(BatchGradientBytes, NeedsANarrowLayoutWithoutDropout) {
  const Blobs px = make_pixel_blobs(20, 6, kClasses, 3);
  const MatrixSource source = px.source();
  const std::optional<ByteRows> bytes = read_byte_rows(source);
  ASSERT_TRUE(bytes.has_value());
  const ByteAffine affine = byte_affine(*bytes, byte_standardizer(*bytes));
  const std::vector<int64_t> batch{0, 1, 2};
  Eigen::VectorXf grad;
  TrainParams p;
  p.batch = 16;
  {
    p.dropout = 0.5;
    BatchGradient step(p, 6, kClasses, 1);
    const Eigen::VectorXf params = Eigen::VectorXf::Zero(step.param_size());
    EXPECT_THROW(step.compute(*bytes, affine, px.y, batch, params, grad), std::logic_error);
  }
  {
    p.dropout = 0;
    std::vector<int32_t> labels(20, 0);
    BatchGradient step(p, 6, 20, 1);  // row_kernels.h's layout
    const Eigen::VectorXf params = Eigen::VectorXf::Zero(step.param_size());
    EXPECT_THROW(step.compute(*bytes, affine, labels, batch, params, grad), std::logic_error);
  }
}

}  // namespace
}  // namespace featpipe::classify
