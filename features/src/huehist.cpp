#include "featpipe/features/huehist.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "featpipe/core/scratch.h"
#include "pixel_votes.h"
#include "term_factories.h"
#include "term_params.h"

namespace featpipe::features {
namespace {

const char* weight_name(bool by_saturation) { return by_saturation ? "sat" : "count"; }

class HueHistExtractor final : public FeatureExtractor {
 public:
  explicit HueHistExtractor(const HueHistParams& p) : p_(p), pyramid_(p.pyramid) {}

  std::string spec() const override {
    SpecTerm t{"huehist", {}};
    t.params["bins"] = std::to_string(p_.bins);
    t.params["min_sat"] = format_number(p_.min_saturation);
    t.params["min_val"] = format_number(p_.min_value);
    t.params["weight"] = weight_name(p_.weight_by_saturation);
    put_pyramid_params(p_.pyramid, t);
    return t.canonical();
  }

  std::size_t dim(cv::Size size, int) const override {
    pyramid_.check_size(size, "huehist");
    return pyramid_.cells() * p_.bins;
  }

  void extract(const cv::Mat& image, float* out) const override {
    check_image(image, "huehist");
    const std::size_t width = dim(image.size(), image.channels());
    if (image.channels() == 1) {
      std::fill(out, out + width, 0.0f);
      return;
    }
    const std::size_t pixels = image.total();
    PixelVote* votes = thread_scratch<PixelVote, struct HueVotes>(2 * pixels);
    // In bins per sixth of the circle, so that the primary and secondary colours land exactly on bin centres.
    const float bins_per_sixth = p_.bins / 6.0f;
    const float min_chroma_ratio = static_cast<float>(p_.min_saturation);
    const float min_max = static_cast<float>(p_.min_value * 255.0);
    PixelVote* v = votes;
    for (int y = 0; y < image.rows; ++y) {
      const uint8_t* px = image.ptr<uint8_t>(y);
      for (int x = 0; x < image.cols; ++x, px += 3, v += 2) {
        const int b = px[0], g = px[1], r = px[2];
        const int max = std::max({r, g, b});
        const int chroma = max - std::min({r, g, b});
        const float saturation = max > 0 ? static_cast<float>(chroma) / max : 0.0f;
        if (chroma == 0 || saturation < min_chroma_ratio || max < min_max) {
          v[0] = v[1] = PixelVote{};
          continue;
        }
        const float sixths = hue_sixths(r, g, b, max, chroma);
        const float pos = sixths * bins_per_sixth;
        const int bin = std::min(static_cast<int>(pos), p_.bins - 1);
        const float frac = pos - bin;
        const float weight = p_.weight_by_saturation ? saturation : 1.0f;
        v[0] = {static_cast<uint32_t>(bin), weight * (1.0f - frac)};
        v[1] = {static_cast<uint32_t>((bin + 1) % p_.bins), weight * frac};
      }
    }
    pool_pixel_votes(pyramid_, image.size(), votes, 2, p_.bins, out);
  }

 private:
  HueHistParams p_;
  SpatialPyramid pyramid_;
};

}  // namespace

std::optional<std::string> validate(const HueHistParams& p) {
  if (p.bins < 2 || p.bins > 360) return "bins=" + std::to_string(p.bins) + " must be in 2..360";
  if (!(p.min_saturation >= 0 && p.min_saturation <= 1)) return "min_sat must be in [0, 1]";
  if (!(p.min_value >= 0 && p.min_value <= 1)) return "min_val must be in [0, 1]";
  return validate(p.pyramid);
}

std::unique_ptr<FeatureExtractor> make_huehist(const HueHistParams& params) {
  throw_if_invalid("huehist", params);
  return std::make_unique<HueHistExtractor>(params);
}

namespace {

std::vector<ParamHelp> huehist_param_help() {
  const HueHistParams d;
  std::vector<ParamHelp> help = {
      {"bins", std::to_string(d.bins), "hue bins; bin k is centred on k * 360 / bins degrees"},
      {"min_sat", format_number(d.min_saturation), "less saturated pixels are skipped"},
      {"min_val", format_number(d.min_value), "darker pixels are skipped"},
      {"weight", weight_name(d.weight_by_saturation), "count: a pixel votes 1; sat: its saturation"}};
  for (ParamHelp& p : pyramid_param_help(d.pyramid)) help.push_back(std::move(p));
  return help;
}

std::unique_ptr<FeatureExtractor> huehist_from_term(const SpecTerm& term) {
  term.check_keys(param_keys(huehist_param_help()));
  HueHistParams p;
  p.bins = term.get_int("bins", p.bins);
  p.min_saturation = term.get_double("min_sat", p.min_saturation);
  p.min_value = term.get_double("min_val", p.min_value);
  const std::string weight = term.get_string("weight", weight_name(p.weight_by_saturation));
  if (weight != "count" && weight != "sat") {
    throw std::invalid_argument("huehist: weight=" + weight + " is not count or sat");
  }
  p.weight_by_saturation = weight == "sat";
  p.pyramid = parse_pyramid_params(term);
  return make_huehist(p);
}

}  // namespace

RegistryEntry<ExtractorFactory> huehist_entry() {
  return {"huehist", "hue histogram over the pixels whose hue means something", huehist_param_help(),
          huehist_from_term};
}

}  // namespace featpipe::features
