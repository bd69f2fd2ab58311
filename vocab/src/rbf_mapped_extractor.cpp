#include "featpipe/vocab/rbf_mapped_extractor.h"

#include <stdexcept>
#include <vector>

#include "featpipe/core/scratch.h"

namespace featpipe::vocab {

RbfMappedExtractor::RbfMappedExtractor(std::unique_ptr<features::FeatureExtractor> inner,
                                       const RbfMapParams& params)
    : inner_(std::move(inner)), params_(params) {
  if (auto error = validate(params)) throw std::invalid_argument(*error);
}

std::size_t RbfMappedExtractor::dim(cv::Size size, int channels) const {
  const std::size_t input = inner_->dim(size, channels);
  const std::lock_guard lock(mutex_);
  if (!map_ || map_->input_dim() != input) map_ = std::make_shared<const RbfMap>(params_, input);
  return map_->dim();
}

std::shared_ptr<const RbfMap> RbfMappedExtractor::map() const {
  const std::lock_guard lock(mutex_);
  if (!map_) throw std::logic_error("rbf-mapped extractor: dim() must come before extract()");
  return map_;
}

void RbfMappedExtractor::extract(const cv::Mat& image, float* out) const {
  const std::shared_ptr<const RbfMap> rbf = map();
  float* features = thread_scratch<float, struct RbfInput>(rbf->input_dim());
  inner_->extract(image, features);
  rbf->map(features, out);
}

}  // namespace featpipe::vocab
