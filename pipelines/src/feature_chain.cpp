#include "featpipe/pipelines/feature_chain.h"

#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "featpipe/core/errors.h"
#include "featpipe/data/image_file.h"
#include "featpipe/features/extractor.h"
#include "featpipe/pipelines/dataset_options.h"
#include "featpipe/vocab/image_encoder.h"
#include "featpipe/vocab/rbf_mapped_extractor.h"
#include "featpipe/vocab/vocabulary.h"

namespace featpipe::pipelines {
namespace {

/// Images as the training split saw them: the same channel count and the same size (the dataset's
/// --resize, or its native size, which new images are resized to).
struct ImageShape {
  cv::Size size;
  int channels = 1;
};

cv::Mat conform(const cv::Mat& image, const ImageShape& shape) {
  cv::Mat out = image;
  if (out.channels() == 3 && shape.channels == 1) cv::cvtColor(out, out, cv::COLOR_BGR2GRAY);
  if (out.channels() == 1 && shape.channels == 3) cv::cvtColor(out, out, cv::COLOR_GRAY2BGR);
  if (out.size() != shape.size) cv::resize(out, out, shape.size, 0, 0, cv::INTER_AREA);
  return out;
}

/// The extractor of the store: a global extractor, or an ImageEncoder over the vocabulary it owns.
class ExtractChain final : public FeatureChain {
 public:
  ExtractChain(std::unique_ptr<features::FeatureExtractor> extractor, ImageShape shape,
               std::unique_ptr<vocab::Vocabulary> vocabulary = nullptr)
      : vocabulary_(std::move(vocabulary)),
        extractor_(std::move(extractor)),
        shape_(shape),
        dim_(extractor_->dim(shape.size, shape.channels)) {}

  std::size_t dim() const override { return dim_; }

  void featurize(const cv::Mat& image, float* out) const override {
    const cv::Mat conformed = conform(image, shape_);
    extractor_->extract(conformed, out);
  }

  void featurize_file(const std::string& path, float* out) const override {
    const cv::Mat image =
        data::read_image(path, shape_.channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    if (image.empty())
      throw InputError(path, "cannot be read as an image (missing, unreadable or not an image)");
    featurize(image, out);
  }

  std::string describe() const override {
    return "decode " + std::string(shape_.channels == 1 ? "grey" : "colour") + ", resize to " +
           std::to_string(shape_.size.width) + "x" + std::to_string(shape_.size.height) + ", extract " +
           extractor_->spec();
  }

 private:
  std::unique_ptr<vocab::Vocabulary> vocabulary_;  // outlives the encoder made from it
  std::unique_ptr<features::FeatureExtractor> extractor_;
  ImageShape shape_;
  std::size_t dim_;
};

ImageShape image_shape(const nlohmann::json& p, const std::string& source) {
  if (!p.contains("image_size") || !p["image_size"].is_array() || p["image_size"].size() != 3) {
    throw InputError(source, "provenance has no image_size; it was not written by featpipe extract");
  }
  ImageShape shape;
  shape.size = cv::Size(p["image_size"][0].get<int>(), p["image_size"][1].get<int>());
  shape.channels = p["image_size"][2].get<int>();
  if (p.contains("resize") && p["resize"].is_string()) shape.size = parse_size_option(p["resize"], source);
  return shape;
}

}  // namespace

std::vector<ChainInput> chain_inputs(const nlohmann::json& p) {
  if (p.value("command", "") != "encode" || !p.contains("vocab") || !p["vocab"].is_object()) return {};
  const nlohmann::json& v = p["vocab"];
  // The absolute path first: predict may run from another directory than encode did.
  std::string path = v.value("absolute_path", "");
  if (path.empty() || !std::filesystem::exists(path)) path = v.value("path", "");
  if (path.empty()) return {};
  return {{"vocabulary", path, v.value("digest", "")}};
}

std::unique_ptr<FeatureChain> make_feature_chain(const nlohmann::json& p, const std::string& source) {
  const std::string command = p.value("command", "");
  if (command == "extract") {
    if (!p.contains("features") || !p["features"].is_string()) {
      throw InputError(source, "provenance names no feature spec");
    }
    std::unique_ptr<features::FeatureExtractor> extractor =
        features::make_extractor(p["features"].get<std::string>());
    if (p.contains("kernel_map") && p["kernel_map"].is_string()) {
      const vocab::RbfMapParams rbf =
          blame(source, [&] { return vocab::parse_rbf_map(p["kernel_map"].get<std::string>()); });
      extractor = std::make_unique<vocab::RbfMappedExtractor>(std::move(extractor), rbf);
    }
    return std::make_unique<ExtractChain>(std::move(extractor), image_shape(p, source));
  }
  if (command == "encode") {
    const std::vector<ChainInput> inputs = chain_inputs(p);
    if (inputs.empty() || !p.contains("encoding")) {
      throw InputError(source, "provenance of its encoded features names no vocabulary or encoding");
    }
    auto vocabulary = std::make_unique<vocab::Vocabulary>(vocab::load_vocabulary(inputs.front().path));
    auto encoder =
        std::make_unique<vocab::ImageEncoder>(*vocabulary, vocab::encoding_params_from_json(p["encoding"]));
    return std::make_unique<ExtractChain>(std::move(encoder), image_shape(p, source), std::move(vocabulary));
  }
  throw InputError(source, "its features were made by '" + command +
                               "', which predict cannot replay (extract and encode stores can be)");
}

}  // namespace featpipe::pipelines
