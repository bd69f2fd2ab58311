#include "featpipe/pipelines/encoding_options.h"

#include <algorithm>
#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/core/registry.h"
#include "featpipe/features/spatial_pyramid.h"

namespace featpipe::pipelines {
namespace {

/// The option an EncoderParams validation error is about, from the words of vocab::validate's message.
const char* blamed_option(const std::string& error) {
  const auto has = [&error](const char* word) { return error.find(word) != std::string::npos; };
  if (has("pool")) return "pool";
  if (has("pyramid")) return "pyramid";
  if (has("llc")) return has("beta") ? "llc_beta" : "llc_knn";
  return has("beta") ? "soft_beta" : "soft_neighbours";
}

}  // namespace

std::string option_name(const std::string& name, OptionStyle style) {
  if (style == OptionStyle::python) return name;
  std::string flag = "--" + name;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

vocab::EncodingParams encoding_params(const EncodingChoice& choice, OptionStyle style) {
  const auto name = [style](const char* option) { return option_name(option, style); };
  vocab::EncodingParams p;
  p.encoder.encoding = blame(name("encoding"), [&] { return vocab::parse_encoding(choice.encoding); });
  p.encoder.pooling = choice.pool ? blame(name("pool"), [&] { return vocab::parse_pooling(*choice.pool); })
                                  : vocab::default_pooling(p.encoder.encoding);
  p.encoder.pyramid = blame(name("pyramid"), [&] { return features::parse_pyramid(choice.pyramid); });
  p.encoder.soft_neighbours = choice.soft_neighbours;
  p.encoder.soft_beta = choice.soft_beta;
  p.encoder.llc_knn = choice.llc_knn;
  p.encoder.llc_beta = choice.llc_beta;
  if (auto error = vocab::validate(p.encoder)) throw InputError(name(blamed_option(*error)), *error);
  p.norm = choice.norm ? blame(name("norm"), [&] { return vocab::parse_norm(*choice.norm); })
                       : vocab::default_norm(p.encoder.encoding);
  if (choice.kernel_map && vocab::is_random_feature_spec(*choice.kernel_map)) {
    p.rbf_map = blame(name("kernel_map"), [&] { return vocab::parse_rbf_map(*choice.kernel_map); });
  } else if (choice.kernel_map) {
    vocab::KernelMapParams km;
    const vocab::AdditiveKernel* kernel = nullptr;
    if (const auto* entry = vocab::kernel_registry().find(*choice.kernel_map)) kernel = &entry->value;
    if (!kernel) {
      std::vector<std::string> known = vocab::kernel_registry().names();
      for (const std::string& n : vocab::random_feature_registry().names()) known.push_back(n);
      throw InputError(name("kernel_map"), unknown_name_message("kernel map", *choice.kernel_map, known));
    }
    km.kernel = *kernel;
    km.order = choice.kernel_order;
    if (auto error = vocab::validate(km)) throw InputError(name("kernel_order"), *error);
    p.kernel_map = km;
  }
  return p;
}

std::unique_ptr<vocab::ImageEncoder> make_image_encoder(const vocab::Vocabulary& vocabulary,
                                                        const vocab::EncodingParams& params,
                                                        const std::string& vocab_subject, OptionStyle style) {
  try {
    return std::make_unique<vocab::ImageEncoder>(vocabulary, params);
  } catch (const std::invalid_argument& e) {
    // Soft assignment without a beta needs the vocabulary's distortion: the remedy is the soft beta; llc
    // asking for more neighbours than the vocabulary has words: the remedy is llc_knn.
    const std::string what = e.what();
    const bool beta = what.find("give a beta") != std::string::npos;
    const bool knn = what.find("llc reconstructs") != std::string::npos;
    throw InputError(beta  ? option_name("soft_beta", style)
                     : knn ? option_name("llc_knn", style)
                           : vocab_subject,
                     what);
  }
}

}  // namespace featpipe::pipelines
