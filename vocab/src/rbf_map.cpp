#include "featpipe/vocab/rbf_map.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "featpipe/core/format.h"
#include "featpipe/core/random.h"
#include "featpipe/core/spec.h"
#include "fourier_kernel.h"

namespace featpipe::vocab {
namespace {

uint64_t parse_seed(const SpecTerm& term) {
  const std::string text = term.get_string("seed", "0");
  std::size_t used = 0;
  try {
    const unsigned long long seed = std::stoull(text, &used);
    if (used == text.size() && text.find('-') == std::string::npos) return seed;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument("rbf: seed must be a whole number >= 0, got '" + text + "'");
}

}  // namespace

std::optional<std::string> validate(const RbfMapParams& params) {
  if (!(params.gamma > 0) || !std::isfinite(params.gamma)) {
    return "rbf: gamma must be a finite number > 0, got " + format_number(params.gamma);
  }
  if (params.dim < 1 || params.dim > kMaxRbfDim) {
    return "rbf: dim must be in [1, " + std::to_string(kMaxRbfDim) + "], got " + std::to_string(params.dim);
  }
  return std::nullopt;
}

const Registry<RandomFeatureKernel>& random_feature_registry() {
  const RbfMapParams d;
  static const Registry<RandomFeatureKernel> registry(
      "random feature map", {{"rbf",
                              "random Fourier features of exp(-gamma |x - y|^2) (Rahimi & Recht 2007)",
                              {{"gamma", format_number(d.gamma), "kernel width"},
                               {"dim", std::to_string(d.dim), "features of the map"},
                               {"seed", std::to_string(d.seed), "of the random frequencies and phases"}},
                              RandomFeatureKernel::rbf}});
  return registry;
}

bool is_random_feature_spec(const std::string& spec) {
  const std::string name = spec.substr(0, spec.find('('));
  return random_feature_registry().find(name) != nullptr;
}

RbfMapParams parse_rbf_map(const std::string& spec) {
  const std::vector<SpecTerm> terms = parse_spec(spec);
  if (terms.size() != 1 || terms[0].name != "rbf") {
    throw std::invalid_argument("'" + spec + "' is not one rbf(gamma=G,dim=D,seed=S) term");
  }
  const SpecTerm& term = terms[0];
  term.check_keys(param_keys(random_feature_registry().at("rbf").params));
  RbfMapParams p;
  p.gamma = term.get_double("gamma", p.gamma);
  p.dim = term.get_int("dim", p.dim);
  p.seed = parse_seed(term);
  if (auto error = validate(p)) throw std::invalid_argument(*error);
  return p;
}

std::string to_spec(const RbfMapParams& params) {
  SpecTerm term{"rbf", {}};
  term.params["gamma"] = format_number(params.gamma);
  term.params["dim"] = std::to_string(params.dim);
  term.params["seed"] = std::to_string(params.seed);
  return term.canonical();
}

RbfMap::RbfMap(const RbfMapParams& params, std::size_t input_dim) : params_(params) {
  if (auto error = validate(params)) throw std::invalid_argument(*error);
  // Rows of W, then b, from one stream in a fixed order: the same numbers wherever the map is built.
  random::Generator rng(params.seed, random::Stream::rbf_features);
  const double scale = std::sqrt(2 * params.gamma);
  const Eigen::Index padded = (params.dim + 63) / 64 * 64;
  transposed_ = RowMatrix<float>::Zero(static_cast<Eigen::Index>(input_dim), padded);
  for (Eigen::Index i = 0; i < params.dim; ++i) {
    for (Eigen::Index k = 0; k < transposed_.rows(); ++k) {
      transposed_(k, i) = static_cast<float>(scale * rng.normal());
    }
  }
  phases_ = Eigen::VectorXf::Zero(padded);
  for (Eigen::Index i = 0; i < params.dim; ++i) {
    phases_[i] = static_cast<float>(rng.uniform(0, 2 * std::numbers::pi));
  }
}

void RbfMap::map_rows(const float* in, std::size_t rows, float* out) const {
  if (rows == 0) return;
  const float norm = static_cast<float>(std::sqrt(2.0 / double(dim())));
  fourier_features(transposed_.data(), phases_.data(), input_dim(), dim(),
                   static_cast<std::size_t>(transposed_.cols()), norm, in, rows, out);
}

}  // namespace featpipe::vocab
