#include "featpipe/features/hog.h"

#include <stdexcept>

#include "hog_impl.h"
#include "term_factories.h"
#include "term_params.h"

namespace featpipe::features {

std::optional<std::string> validate(const HogParams& p) {
  if (p.cell < 1 || p.cell > 128) return "cell=" + std::to_string(p.cell) + " must be in 1..128 pixels";
  if (p.bins < 2 || p.bins > 36) return "bins=" + std::to_string(p.bins) + " must be in 2..36";
  if (!(p.clip > 0)) return "clip must be positive";
  return std::nullopt;
}

namespace {

const char* variant_name(HogVariant v) { return v == HogVariant::uoctti ? "uoctti" : "dalaltriggs"; }

}  // namespace

std::string hog_spec(const HogParams& p) {
  SpecTerm t{"hog", {}};
  t.params["variant"] = variant_name(p.variant);
  t.params["cell"] = std::to_string(p.cell);
  t.params["bins"] = std::to_string(p.bins);
  t.params["clip"] = format_number(p.clip);
  if (p.variant == HogVariant::dalal_triggs) t.params["sigma"] = format_number(p.block_sigma);
  return t.canonical();
}

std::unique_ptr<FeatureExtractor> make_hog(const HogParams& params) {
  throw_if_invalid("hog", params);
  return params.variant == HogVariant::uoctti ? make_uoctti_hog(params) : make_dalal_triggs_hog(params);
}

namespace {

std::vector<ParamHelp> hog_param_help() {
  const HogParams d;
  return {{"variant", variant_name(d.variant),
           "uoctti (Felzenszwalb et al., VLFeat) or dalaltriggs (Dalal & Triggs, OpenCV)"},
          {"cell", std::to_string(d.cell), "cell side in pixels"},
          {"bins", std::to_string(d.bins), "orientations over [0, pi)"},
          {"clip", format_number(d.clip), "truncation of block-normalised values"},
          {"sigma", format_number(d.block_sigma),
           "dalaltriggs: Gaussian block window in pixels; < 0: block side / 4, 0: none"}};
}

std::unique_ptr<FeatureExtractor> hog_from_term(const SpecTerm& term) {
  term.check_keys(param_keys(hog_param_help()));
  HogParams p;
  const std::string variant = term.get_string("variant", variant_name(p.variant));
  if (variant == "uoctti") {
    p.variant = HogVariant::uoctti;
    if (term.params.count("sigma")) {
      throw std::invalid_argument(
          "hog: sigma applies to variant=dalaltriggs only (uoctti has no block window)");
    }
  } else if (variant == "dalaltriggs") {
    p.variant = HogVariant::dalal_triggs;
  } else {
    throw std::invalid_argument("hog: variant=" + variant + " is not uoctti or dalaltriggs");
  }
  p.cell = term.get_int("cell", p.cell);
  p.bins = term.get_int("bins", p.bins);
  p.clip = term.get_double("clip", p.clip);
  p.block_sigma = term.get_double("sigma", p.block_sigma);
  return make_hog(p);
}

}  // namespace

RegistryEntry<ExtractorFactory> hog_entry() {
  return {"hog", "histograms of oriented gradients per cell", hog_param_help(), hog_from_term};
}

}  // namespace featpipe::features
