// Training with many classes against the machine's matrix-product peak: one epoch of minibatch SGD with
// 1000 classes on N x D synthetic rows (softmax, batch 256), its GFLOP/s counted as the products it must do
// (scores X W and the weight gradient X^T dS: 4 N D C), beside Eigen's single-precision GEMM measured in the
// same run, of one minibatch's shapes (256 x D times D x C) and of 2048^3, the faster being the peak. Prints
// them and the ratio.
//   bench_many_classes [ROWS] [DIM] [CLASSES]   (defaults 100000 4096 1000)
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "featpipe/classify/row_source.h"
#include "featpipe/classify/trainer.h"
#include "featpipe/core/matrix.h"
#include "featpipe/core/random.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace featpipe;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// GFLOP/s of C = A B with A [m, k], B [k, n], the best of a few runs of at least 0.5 s each.
double gemm_gflops(int m, int k, int n) {
  const RowMatrix<float> a = RowMatrix<float>::Random(m, k), b = RowMatrix<float>::Random(k, n);
  RowMatrix<float> c(m, n);
  double best = 0;
  for (int round = 0; round < 3; ++round) {
    int reps = 0;
    const auto start = Clock::now();
    do {
      c.noalias() = a * b;
      ++reps;
    } while (seconds_since(start) < 0.5);
    best = std::max(best, 2.0 * m * k * n * reps / seconds_since(start) / 1e9);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 100000;
  const int64_t dim = argc > 2 ? std::atoll(argv[2]) : 4096;
  const int classes = argc > 3 ? std::atoi(argv[3]) : 1000;
  const int batch = 256;
  Eigen::setNbThreads(omp_get_max_threads());

  // Rows: a class centre per class in a random subspace plus noise, so that the loss has work to do.
  RowMatrix<float> x(rows, dim);
  std::vector<int32_t> labels(static_cast<std::size_t>(rows));
  {
    random::Generator g(1, random::Stream::test);
    const RowMatrix<float> centres = RowMatrix<float>::Random(classes, dim);
    for (int64_t r = 0; r < rows; ++r) {
      labels[std::size_t(r)] = static_cast<int32_t>(r % classes);
      x.row(r) = centres.row(r % classes);
      for (int64_t d = 0; d < dim; d += 64) x(r, d) += static_cast<float>(g.normal());
    }
  }
  const double minibatch_gemm = gemm_gflops(batch, static_cast<int>(dim), classes);
  const double square_gemm = gemm_gflops(2048, 2048, 2048);
  const double peak = std::max(minibatch_gemm, square_gemm);

  classify::TrainParams p;
  p.loss.kind = classify::LossKind::softmax;
  p.optimizer.kind = classify::OptimizerKind::sgd;
  p.lr = 0.01;
  p.epochs = 1;
  p.batch = batch;
  p.standardize = false;
  const classify::MatrixSource source(x.data(), x.rows(), x.cols());
  const auto start = Clock::now();
  const classify::TrainResult r = classify::train(p, {&source, labels}, nullptr, classes);
  const double seconds = seconds_since(start);
  const double flops = 4.0 * double(rows) * double(dim) * double(classes);
  const double gflops = flops / seconds / 1e9;
  std::printf("many classes: %lld rows x %lld features, %d classes, softmax, batch %d, %d threads\n",
              static_cast<long long>(rows), static_cast<long long>(dim), classes, batch,
              omp_get_max_threads());
  std::printf("gemm (Eigen, float): %d x %lld x %d %.1f GFLOP/s, 2048^3 %.1f GFLOP/s\n", batch,
              static_cast<long long>(dim), classes, minibatch_gemm, square_gemm);
  std::printf("train one epoch: %.2f s, %.1f GFLOP/s (4 N D C), %.0f%% of the GEMM peak; final loss %.4f\n",
              seconds, gflops, 100.0 * gflops / peak, r.history.loss.back());
  return 0;
}
