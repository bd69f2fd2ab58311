#pragma once
// The whole feature chain of a store, rebuilt from its provenance, so a model can score new image files
// exactly as its training rows were made: decoding (grey or colour), the dataset's resize, then the
// extractor (or, for encoded stores, the descriptor + vocabulary + encoding) the store records.
#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace featpipe::pipelines {

class FeatureChain {
 public:
  virtual ~FeatureChain() = default;
  /// Feature width, equal to the store's.
  virtual std::size_t dim() const = 0;
  /// Decodes the file and writes dim() floats to out. InputError naming the file when it cannot be
  /// decoded.
  virtual void featurize_file(const std::string& path, float* out) const = 0;
  /// The same for an already decoded uint8 image (grey or BGR).
  virtual void featurize(const cv::Mat& image, float* out) const = 0;
  /// One line: how images are turned into features.
  virtual std::string describe() const = 0;
};

/// A store the chain reads each time it runs (the vocabulary of an encoded store, which holds its
/// whitening too), found as make_feature_chain finds it.
struct ChainInput {
  std::string role;             // "vocabulary"
  std::string path;             // the recorded absolute path when it exists, else the path as given
  std::string recorded_digest;  // data::content_digest when the store was made; "" before digests were kept
};

/// The chain inputs of a store with this provenance; none for extracted features.
std::vector<ChainInput> chain_inputs(const nlohmann::json& store_provenance);

/// From the provenance of a feature store (as recorded in a model's "train" entry). InputError naming
/// `source` when the provenance does not say how its features were made.
std::unique_ptr<FeatureChain> make_feature_chain(const nlohmann::json& store_provenance,
                                                 const std::string& source);

/// The chains of a model's training stores side by side (`train --train A.h5 --train B.h5`): each runs on
/// the image in order, writing its dim() values after the previous chain's.
std::unique_ptr<FeatureChain> join_feature_chains(std::vector<std::unique_ptr<FeatureChain>> chains);

}  // namespace featpipe::pipelines
