#pragma once
// The encoding options as a front end takes them (text, as typed), turned into vocab::EncodingParams and an
// ImageEncoder with errors naming the option as that front end spells it: `--kernel-map` on the command
// line, `kernel_map` in Python.
#include <memory>
#include <optional>
#include <string>

#include "featpipe/vocab/image_encoder.h"
#include "featpipe/vocab/vocabulary.h"

namespace featpipe::pipelines {

struct EncodingChoice {
  std::string encoding = "bow", pyramid = "1";
  std::optional<std::string> pool;        // none: the encoding's default (vocab::default_pooling)
  std::optional<std::string> norm;        // none: the encoding's default (vocab::default_norm)
  std::optional<std::string> kernel_map;  // none: no kernel map
  int kernel_order = 1, soft_neighbours = 5;
  double soft_beta = 0;
  int llc_knn = 5;
  double llc_beta = 1e-4;
};

enum class OptionStyle { command_line, python };

/// The option's name in that style: ("kernel_map", command_line) -> "--kernel-map".
std::string option_name(const std::string& name, OptionStyle style);

/// InputError naming the option on an unknown name or a bad value.
vocab::EncodingParams encoding_params(const EncodingChoice& choice, OptionStyle style);

/// The encoder of `vocabulary` (named `vocab_subject` in errors) with the parameters; InputError naming
/// soft_beta when soft assignment needs one the vocabulary cannot give, the vocabulary otherwise.
std::unique_ptr<vocab::ImageEncoder> make_image_encoder(const vocab::Vocabulary& vocabulary,
                                                        const vocab::EncodingParams& params,
                                                        const std::string& vocab_subject, OptionStyle style);

}  // namespace featpipe::pipelines
