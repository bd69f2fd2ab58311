#pragma once
// Homogeneous kernel map (Vedaldi & Zisserman, "Efficient additive kernels via explicit feature maps",
// PAMI 2012): each value becomes 2 * order + 1 values whose dot products approximate an additive kernel,
// so a linear classifier on mapped histograms approximates a chi2 or intersection kernel SVM. Wraps VLFeat's
// vl_homogeneouskernelmap once, with its arguments validated first (VLFeat only asserts).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "featpipe/core/registry.h"

namespace featpipe::vocab {

enum class AdditiveKernel {
  chi2,          // k(x, y) = 2 x y / (x + y)
  intersection,  // k(x, y) = min(x, y)
};

struct KernelMapParams {
  AdditiveKernel kernel = AdditiveKernel::chi2;
  int order = 1;       // approximation order n: 2n + 1 values per input value
  double period = -1;  // sampling period of the spectrum; <= 0: VLFeat's choice for the kernel and order
};

/// order in 1..8.
std::optional<std::string> validate(const KernelMapParams& params);

/// The additive kernel names (chi2, intersection).
const Registry<AdditiveKernel>& kernel_registry();

/// A kernel_registry() name; std::invalid_argument listing the known ones otherwise.
AdditiveKernel parse_additive_kernel(const std::string& name);
std::string to_string(AdditiveKernel kernel);

class KernelMap {
 public:
  /// Throws std::invalid_argument with validate()'s message.
  explicit KernelMap(const KernelMapParams& params);
  ~KernelMap();
  KernelMap(const KernelMap&) = delete;
  KernelMap& operator=(const KernelMap&) = delete;

  const KernelMapParams& params() const { return params_; }
  /// Output values per input value: 2 * order + 1.
  std::size_t multiplier() const;
  /// out[i * multiplier() + j] = j-th feature of in[i], for n non-negative values (a negative one is mapped
  /// as its absolute value with the sign carried, as VLFeat does). Thread-safe.
  void map(const float* in, std::size_t n, float* out) const;

 private:
  struct Impl;
  KernelMapParams params_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace featpipe::vocab
