#pragma once
// The whole per-image encoding chain: the vocabulary's own descriptor -> encoder (whitening, codes, pyramid
// pooling) -> per-cell normalisation -> optional kernel map (homogeneous, or rbf random Fourier features). It
// is a FeatureExtractor, so `featpipe encode` runs it with the same parallel, block-by-block job as `featpipe
// extract`, and descriptors are computed image by image and never stored.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/features/descriptor.h"
#include "featpipe/features/extractor.h"
#include "featpipe/vocab/encoder.h"
#include "featpipe/vocab/kernel_map.h"
#include "featpipe/vocab/normalize.h"
#include "featpipe/vocab/rbf_map.h"
#include "featpipe/vocab/vocabulary.h"

namespace featpipe::vocab {

struct EncodingParams {
  EncoderParams encoder;
  std::vector<NormStep> norm;                 // applied to each pyramid cell in order; empty: none
  std::optional<KernelMapParams> kernel_map;  // applied to the whole normalised vector
  std::optional<RbfMapParams> rbf_map;        // instead of kernel_map: random Fourier features of it
};

/// The norm a bare `--norm` default means for each encoding: l1 for bow and soft (histograms), power+l2
/// for vlad and fisher (the improved variants), none for triangle (Coates et al. standardise features in
/// the classifier instead), l2 for llc (Wang et al.'s choice after max pooling).
std::vector<NormStep> default_norm(EncodingKind kind);

/// The parameters as an encoded store's provenance records them ("encoding"), and back, so a later stage
/// (e.g. predict) can rebuild the same ImageEncoder from the store and its vocabulary.
/// encoding_params_from_json throws std::invalid_argument naming what is missing or wrong.
nlohmann::json to_json(const EncodingParams& params);
EncodingParams encoding_params_from_json(const nlohmann::json& json);

class ImageEncoder final : public features::FeatureExtractor {
 public:
  /// The descriptor is made from vocabulary.descriptor: there is deliberately no way to pass another.
  /// Throws std::invalid_argument when the encoding cannot use this vocabulary (see Encoder).
  ImageEncoder(const Vocabulary& vocabulary, const EncodingParams& params);

  /// `encode(encoding=...,pool=...,pyramid=...,norm=...,kernel_map=...)` over the descriptor
  /// `descriptor_spec()`. Unlike the spec of a global extractor, make_extractor cannot rebuild it: it needs
  /// the vocabulary, whose provenance the encoded store records beside it.
  std::string spec() const override;
  const std::string& descriptor_spec() const { return descriptor_spec_; }
  /// cells * cell_width * (2 order + 1 with a kernel map), or the rbf map's dim. Throws std::invalid_argument
  /// when the descriptor gives vectors of another width for this many channels than the vocabulary's words
  /// (e.g. words learned on grey patches, colour images), or the image is smaller than the finest pyramid
  /// grid.
  std::size_t dim(cv::Size size, int channels) const override;
  /// Thread-safe; an image without any descriptor (no SIFT keypoint) encodes as zeros.
  void extract(const cv::Mat& image, float* out) const override;

 private:
  std::string descriptor_spec_;
  std::unique_ptr<features::DescriptorExtractor> descriptor_;
  Encoder encoder_;
  EncodingParams params_;
  std::unique_ptr<KernelMap> kernel_map_;
  std::unique_ptr<RbfMap> rbf_map_;
  std::size_t words_dim_;
};

}  // namespace featpipe::vocab
