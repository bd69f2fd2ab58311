#include "featpipe/vocab/image_encoder.h"

#include <stdexcept>

#include "featpipe/core/format.h"
#include "featpipe/core/spec.h"

namespace featpipe::vocab {

std::vector<NormStep> default_norm(EncodingKind kind) {
  switch (kind) {
    case EncodingKind::bow:
    case EncodingKind::soft:
      return parse_norm("l1");
    case EncodingKind::vlad:
    case EncodingKind::fisher:
      return parse_norm("power+l2");
    case EncodingKind::triangle:
      return {};
    case EncodingKind::llc:
      return parse_norm("l2");
  }
  return {};
}

nlohmann::json to_json(const EncodingParams& p) {
  nlohmann::json j = {{"encoding", to_string(p.encoder.encoding)},
                      {"pool", to_string(p.encoder.pooling)},
                      {"pyramid", features::format_pyramid(p.encoder.pyramid)},
                      {"norm", format_norm(p.norm)},
                      {"soft_neighbours", p.encoder.soft_neighbours},
                      {"soft_beta", p.encoder.soft_beta},
                      {"llc_knn", p.encoder.llc_knn},
                      {"llc_beta", p.encoder.llc_beta}};
  if (p.kernel_map) {
    j["kernel_map"] = to_string(p.kernel_map->kernel);
    j["kernel_order"] = p.kernel_map->order;
    j["kernel_period"] = p.kernel_map->period;
  }
  if (p.rbf_map) {
    j["kernel_map"] = "rbf";
    j["rbf_gamma"] = p.rbf_map->gamma;
    j["rbf_dim"] = p.rbf_map->dim;
    j["rbf_seed"] = p.rbf_map->seed;
  }
  return j;
}

EncodingParams encoding_params_from_json(const nlohmann::json& j) {
  EncodingParams p;
  try {
    p.encoder.encoding = parse_encoding(j.at("encoding").get<std::string>());
    p.encoder.pooling = parse_pooling(j.at("pool").get<std::string>());
    p.encoder.pyramid = features::parse_pyramid(j.at("pyramid").get<std::string>());
    p.encoder.soft_neighbours = j.at("soft_neighbours").get<int>();
    p.encoder.soft_beta = j.at("soft_beta").get<double>();
    // Stores written before llc existed lack its parameters: they keep the defaults.
    p.encoder.llc_knn = j.value("llc_knn", p.encoder.llc_knn);
    p.encoder.llc_beta = j.value("llc_beta", p.encoder.llc_beta);
    p.norm = parse_norm(j.at("norm").get<std::string>());
    if (j.contains("kernel_map") && j.at("kernel_map") == "rbf") {
      RbfMapParams rbf;
      rbf.gamma = j.at("rbf_gamma").get<double>();
      rbf.dim = j.at("rbf_dim").get<int>();
      rbf.seed = j.at("rbf_seed").get<uint64_t>();
      p.rbf_map = rbf;
    } else if (j.contains("kernel_map")) {
      KernelMapParams km;
      km.kernel = parse_additive_kernel(j.at("kernel_map").get<std::string>());
      km.order = j.at("kernel_order").get<int>();
      km.period = j.at("kernel_period").get<double>();
      p.kernel_map = km;
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("encoding parameters are incomplete: ") + e.what());
  }
  return p;
}

ImageEncoder::ImageEncoder(const Vocabulary& vocabulary, const EncodingParams& params)
    : descriptor_spec_(vocabulary.descriptor),
      descriptor_(features::make_descriptor(vocabulary.descriptor)),
      encoder_(vocabulary, params.encoder),
      params_(params),
      kernel_map_(params.kernel_map ? std::make_unique<KernelMap>(*params.kernel_map) : nullptr),
      rbf_map_(params.rbf_map ? std::make_unique<RbfMap>(*params.rbf_map, encoder_.dim()) : nullptr),
      words_dim_(vocabulary.input_dim()) {
  if (kernel_map_ && rbf_map_) throw std::invalid_argument("one kernel map at a time: homogeneous or rbf");
}

std::string ImageEncoder::spec() const {
  SpecTerm term{"encode", {}};
  term.params["encoding"] = to_string(params_.encoder.encoding);
  term.params["pool"] = to_string(params_.encoder.pooling);
  term.params["pyramid"] = features::format_pyramid(params_.encoder.pyramid);
  term.params["norm"] = format_norm(params_.norm);
  if (kernel_map_) {
    term.params["kernel_map"] = to_string(kernel_map_->params().kernel);
    term.params["order"] = std::to_string(kernel_map_->params().order);
  }
  if (rbf_map_) {
    // The map's parameters as keys of their own: a spec value cannot hold another term.
    term.params["kernel_map"] = "rbf";
    term.params["gamma"] = format_number(rbf_map_->params().gamma);
    term.params["dim"] = std::to_string(rbf_map_->params().dim);
    term.params["seed"] = std::to_string(rbf_map_->params().seed);
  }
  return term.canonical();
}

std::size_t ImageEncoder::dim(cv::Size size, int channels) const {
  const std::size_t d = descriptor_->dim(channels);
  if (d != words_dim_) {
    throw std::invalid_argument(
        descriptor_spec_ + " gives " + std::to_string(d) + "-d descriptors on images of " +
        std::to_string(channels) + " channel(s), but the vocabulary was learned on " +
        std::to_string(words_dim_) + "-d descriptors; encode images like those of its training set");
  }
  features::SpatialPyramid({params_.encoder.pyramid}).check_size(size, "encode");
  if (rbf_map_) return rbf_map_->dim();
  return encoder_.dim() * (kernel_map_ ? kernel_map_->multiplier() : 1);
}

void ImageEncoder::extract(const cv::Mat& image, float* out) const {
  thread_local features::LocalFeatures local;
  thread_local std::vector<float> encoded;
  descriptor_->extract(image, local);
  float* target = out;
  if (kernel_map_ || rbf_map_) {
    encoded.resize(encoder_.dim());
    target = encoded.data();
  }
  encoder_.encode(local, image.size(), target);
  normalize_blocks(target, encoder_.cells(), encoder_.cell_width(), params_.norm);
  if (kernel_map_) kernel_map_->map(target, encoder_.dim(), out);
  if (rbf_map_) rbf_map_->map(target, out);
}

}  // namespace featpipe::vocab
