#pragma once
// Feature stores of synthetic blobs for the command-line tests of train and its neighbours.
#include <cstdint>
#include <string>
#include <vector>

#include "featpipe/core/random.h"
#include "featpipe/data/feature_store.h"
#include "test_fixtures.h"

namespace featpipe::testing {

/// rows x dim features in three Gaussian blobs (classes a, b, c) around centres 3 apart, noise sd
/// `spread` (well separated at the default), with spec `features`. poison_row < rows: feature dim / 2 of that
/// row is `poison` (e.g. NaN).
inline std::string write_blobs(const TempDir& dir, const std::string& name, uint64_t rows, uint64_t dim,
                               const std::string& features, uint64_t seed, float spread = 0.5f,
                               uint64_t poison_row = UINT64_MAX, float poison = 0.0f) {
  random::Generator rng(seed, random::Stream::test);
  const auto noise = [spread](random::Generator& g) { return spread * static_cast<float>(g.normal()); };
  std::vector<float> x(rows * dim);
  std::vector<int32_t> labels(rows);
  std::vector<int64_t> index(rows);
  for (uint64_t r = 0; r < rows; ++r) {
    labels[r] = static_cast<int32_t>(r % 3);
    index[r] = static_cast<int64_t>(r);
    for (uint64_t d = 0; d < dim; ++d)
      x[r * dim + d] = (d % 3 == uint64_t(labels[r]) ? 3.0f : 0.0f) + noise(rng);
  }
  if (poison_row < rows) x[poison_row * dim + dim / 2] = poison;
  const std::string path = (dir / name).string();
  featpipe::data::FeatureStoreWriter w(
      path, dim, {"a", "b", "c"}, {{"dataset", "synthetic:blobs"}, {"features", features}, {"dim", dim}});
  w.append(x.data(), labels.data(), index.data(), rows);
  w.commit();
  return path;
}

}  // namespace featpipe::testing
