#pragma once
// Random Fourier features (Rahimi & Recht, "Random features for large-scale kernel machines", NIPS 2007):
// z(x) = sqrt(2 / D) cos(W x + b), W ~ N(0, 2 gamma I), b ~ U[0, 2 pi), so that z(x).z(y) approximates the
// RBF kernel exp(-gamma |x - y|^2) with a Monte-Carlo error of order 1 / sqrt(D), and a linear classifier on
// z approximates an RBF kernel SVM. W and b are drawn from the project's counter-based generator
// (core/random.h), so a seed gives the same map on every CPU, thread count and rank: the map is rebuilt
// from (gamma, dim, seed) and the input width, never stored.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "featpipe/core/matrix.h"
#include "featpipe/core/registry.h"

namespace featpipe::vocab {

struct RbfMapParams {
  double gamma = 1;   // kernel width: exp(-gamma |x - y|^2)
  int dim = 1024;     // D, the features of the map
  uint64_t seed = 0;  // of W and b
};

/// The largest D: W holds D x (input width) floats.
inline constexpr int kMaxRbfDim = 1 << 20;

/// gamma finite and > 0, dim in [1, kMaxRbfDim].
std::optional<std::string> validate(const RbfMapParams& params);

enum class RandomFeatureKernel { rbf };
/// The random feature kernels (rbf), with their parameters: `--kernel-map rbf(gamma=G,dim=D,seed=S)`.
const Registry<RandomFeatureKernel>& random_feature_registry();

/// Whether a --kernel-map value names a random feature map (rather than a homogeneous kernel map).
bool is_random_feature_spec(const std::string& spec);
/// `rbf(gamma=G,dim=D,seed=S)`, absent keys at their defaults; std::invalid_argument naming the problem
/// (malformed spec, unknown key, bad value) otherwise.
RbfMapParams parse_rbf_map(const std::string& spec);
/// The canonical spec, all keys written.
std::string to_spec(const RbfMapParams& params);

class RbfMap {
 public:
  /// W and b for inputs of `input_dim` values; std::invalid_argument with validate()'s message.
  RbfMap(const RbfMapParams& params, std::size_t input_dim);

  const RbfMapParams& params() const { return params_; }
  std::size_t input_dim() const { return transposed_.rows(); }
  std::size_t dim() const { return static_cast<std::size_t>(params_.dim); }
  /// out[0 .. dim()) = z(in[0 .. input_dim())). Thread-safe.
  void map(const float* in, float* out) const { map_rows(in, 1, out); }
  /// z of `rows` consecutive rows of in (rows x input_dim()) into out (rows x dim()), in one pass over W per
  /// few dozen rows rather than one per row (W is megabytes). Each row gets the bits map() gives it alone.
  /// Thread-safe; one thread: callers share blocks of rows out among theirs.
  void map_rows(const float* in, std::size_t rows, float* out) const;

 private:
  RbfMapParams params_;
  RowMatrix<float> transposed_;  // W^T, input_dim x dim padded to a multiple of 64 columns (zeros)
  Eigen::VectorXf phases_;       // b, padded alike
};

}  // namespace featpipe::vocab
