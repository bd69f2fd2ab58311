#include "featpipe/vocab/kernel_map.h"

#include <stdexcept>

extern "C" {
#include <vl/homkermap.h>
}

namespace featpipe::vocab {

struct KernelMap::Impl {
  VlHomogeneousKernelMap* map = nullptr;
};

std::optional<std::string> validate(const KernelMapParams& params) {
  if (params.order < 1 || params.order > 8) {
    return "kernel map order must be in 1..8, got " + std::to_string(params.order);
  }
  return std::nullopt;
}

const Registry<AdditiveKernel>& kernel_registry() {
  static const Registry<AdditiveKernel> registry(
      "kernel",
      {{"chi2", "chi-squared: k(x, y) = 2 x y / (x + y)", {}, AdditiveKernel::chi2},
       {"intersection", "histogram intersection: k(x, y) = min(x, y)", {}, AdditiveKernel::intersection}});
  return registry;
}

AdditiveKernel parse_additive_kernel(const std::string& name) { return kernel_registry().at(name).value; }

std::string to_string(AdditiveKernel kernel) { return kernel_registry().entry_of(kernel).name; }

KernelMap::KernelMap(const KernelMapParams& params) : params_(params), impl_(std::make_unique<Impl>()) {
  if (auto error = validate(params)) throw std::invalid_argument(*error);
  const VlHomogeneousKernelType type =
      params.kernel == AdditiveKernel::chi2 ? VlHomogeneousKernelChi2 : VlHomogeneousKernelIntersection;
  // gamma = 1: the kernels as defined (homogeneous of degree 1). A period <= 0 asks VLFeat for its default.
  impl_->map = vl_homogeneouskernelmap_new(type, 1.0, params.order, params.period > 0 ? params.period : -1,
                                           VlHomogeneousKernelMapWindowRectangular);
  if (!impl_->map) throw std::runtime_error("VLFeat could not allocate a homogeneous kernel map");
}

KernelMap::~KernelMap() {
  if (impl_ && impl_->map) vl_homogeneouskernelmap_delete(impl_->map);
}

std::size_t KernelMap::multiplier() const { return 2 * static_cast<std::size_t>(params_.order) + 1; }

void KernelMap::map(const float* in, std::size_t n, float* out) const {
  const std::size_t m = multiplier();
  for (std::size_t i = 0; i < n; ++i) vl_homogeneouskernelmap_evaluate_f(impl_->map, out + i * m, 1, in[i]);
}

}  // namespace featpipe::vocab
