// Several feature chains side by side: the features of a model trained on several stores' columns.
#include <numeric>

#include "featpipe/pipelines/feature_chain.h"

namespace featpipe::pipelines {
namespace {

class JoinedChain final : public FeatureChain {
 public:
  explicit JoinedChain(std::vector<std::unique_ptr<FeatureChain>> chains) : chains_(std::move(chains)) {}

  std::size_t dim() const override {
    return std::accumulate(chains_.begin(), chains_.end(), std::size_t{0},
                           [](std::size_t sum, const auto& c) { return sum + c->dim(); });
  }

  void featurize_file(const std::string& path, float* out) const override {
    for (const auto& chain : chains_) {
      chain->featurize_file(path, out);
      out += chain->dim();
    }
  }

  void featurize(const cv::Mat& image, float* out) const override {
    for (const auto& chain : chains_) {
      chain->featurize(image, out);
      out += chain->dim();
    }
  }

  std::string describe() const override {
    std::string text;
    for (std::size_t i = 0; i < chains_.size(); ++i) {
      text += (i == 0 ? "" : "; ") + std::string("[") + std::to_string(i + 1) + "] " + chains_[i]->describe();
    }
    return text + " (features side by side)";
  }

 private:
  std::vector<std::unique_ptr<FeatureChain>> chains_;
};

}  // namespace

std::unique_ptr<FeatureChain> join_feature_chains(std::vector<std::unique_ptr<FeatureChain>> chains) {
  if (chains.size() == 1) return std::move(chains.front());
  return std::make_unique<JoinedChain>(std::move(chains));
}

}  // namespace featpipe::pipelines
