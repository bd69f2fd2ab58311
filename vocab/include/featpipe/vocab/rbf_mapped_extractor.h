#pragma once
// A global extractor followed by an rbf random Fourier feature map (rbf_map.h), for `featpipe extract
// --kernel-map rbf(...)`: e.g. HOG features that a linear classifier then separates as an RBF kernel SVM
// would. The map's input width is the extractor's, known once dim() is asked for an image size.
#include <memory>
#include <mutex>
#include <string>

#include "featpipe/features/extractor.h"
#include "featpipe/vocab/rbf_map.h"

namespace featpipe::vocab {

class RbfMappedExtractor final : public features::RowMappedExtractor {
 public:
  /// std::invalid_argument with validate()'s message on bad parameters.
  RbfMappedExtractor(std::unique_ptr<features::FeatureExtractor> inner, const RbfMapParams& params);

  /// The inner extractor's spec: the map is recorded beside it (the store's provenance "kernel_map").
  std::string spec() const override { return inner_->spec(); }
  /// The map's dim; (re)builds the map for the inner extractor's width at this size.
  std::size_t dim(cv::Size size, int channels) const override;
  /// Requires dim() first, for images of that size. Thread-safe.
  void extract(const cv::Mat& image, float* out) const override;

  const features::FeatureExtractor& inner() const override { return *inner_; }
  /// Requires dim() first.
  std::size_t input_dim() const override { return map()->input_dim(); }
  void map_rows(const float* in, std::size_t rows, float* out) const override {
    map()->map_rows(in, rows, out);
  }

 private:
  /// The map built by dim() (kept alive while in use should dim() rebuild it for another width);
  /// std::logic_error before.
  std::shared_ptr<const RbfMap> map() const;

  std::unique_ptr<features::FeatureExtractor> inner_;
  RbfMapParams params_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const RbfMap> map_;
};

}  // namespace featpipe::vocab
