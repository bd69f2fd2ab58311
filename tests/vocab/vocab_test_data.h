#pragma once
// Synthetic descriptors for the vocab tests: Gaussian blobs whose true centres the tests know.
#include <cstdint>
#include <vector>

#include "featpipe/core/matrix.h"
#include "featpipe/core/random.h"

namespace featpipe::testing {

struct Blobs {
  RowMatrix<float> points;   // n x d, row i drawn around centres.row(labels[i])
  RowMatrix<float> centres;  // k x d
  std::vector<int> labels;
};

/// k centres spread `spread` apart on average, points with unit standard deviation around them.
inline Blobs make_blobs(int k, int per_blob, int d, float spread, uint64_t seed) {
  random::Generator rng(seed, random::Stream::test);
  const auto normal = [](random::Generator& g) { return static_cast<float>(g.normal()); };
  Blobs b;
  b.centres.resize(k, d);
  for (int j = 0; j < k; ++j)
    for (int c = 0; c < d; ++c) b.centres(j, c) = spread * normal(rng);
  b.points.resize(k * per_blob, d);
  for (int i = 0; i < k * per_blob; ++i) {
    const int j = i % k;
    b.labels.push_back(j);
    for (int c = 0; c < d; ++c) b.points(i, c) = b.centres(j, c) + normal(rng);
  }
  return b;
}

/// Rows with few distinct values and centres that all start on the first of them.
struct RepeatedRows {
  RowMatrix<float> points;  // 60 x 3: 6 distinct rows, repeated
  RowMatrix<float> start;   // k x 3, every row the first point: k - 1 clusters are empty at first
};

inline RepeatedRows repeated_rows(int k) {
  RepeatedRows r;
  r.points.resize(60, 3);
  for (int i = 0; i < 60; ++i) r.points.row(i) << float(i % 6), float((i % 6) * (i % 6)), 1.0f;
  r.start.resize(k, 3);
  for (int j = 0; j < k; ++j) r.start.row(j) = r.points.row(0);
  return r;
}

}  // namespace featpipe::testing
