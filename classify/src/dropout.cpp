#include "featpipe/classify/dropout.h"

#include "featpipe/core/random.h"

namespace featpipe::classify {

void inverted_dropout(MatrixView<float> rows, double p, uint64_t seed, uint64_t item) {
  if (p <= 0) return;
  // keep when a 32-bit uniform draw is >= p * 2^32; two draws per 64 random bits, row after row
  const uint64_t threshold = static_cast<uint64_t>(p * 4294967296.0);
  const float scale = static_cast<float>(1.0 / (1.0 - p));
  random::Generator generator(seed, random::Stream::dropout, item);
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    float* row = rows.row(i).data();
    for (Eigen::Index j = 0; j < rows.cols(); j += 2) {
      const uint64_t bits = generator.next();
      row[j] = (bits & 0xffffffffULL) >= threshold ? row[j] * scale : 0.0f;
      if (j + 1 < rows.cols()) row[j + 1] = (bits >> 32) >= threshold ? row[j + 1] * scale : 0.0f;
    }
  }
}

}  // namespace featpipe::classify
