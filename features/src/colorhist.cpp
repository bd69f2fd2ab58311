#include "featpipe/features/colorhist.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "featpipe/core/scratch.h"
#include "pixel_votes.h"
#include "term_factories.h"
#include "term_params.h"

namespace featpipe::features {
namespace {

/// Per-channel bin of each of the three channels of one pixel, in the histogram's channel order.
using PixelBins = std::array<uint32_t, 3>;

const char* space_name(ColorSpace space) { return space == ColorSpace::rgb ? "rgb" : "hsv"; }

class ColorHistExtractor final : public FeatureExtractor {
 public:
  explicit ColorHistExtractor(const ColorHistParams& p) : p_(p), pyramid_(p.pyramid) {
    for (int i = 0; i < 256; ++i) level_bin_[i] = static_cast<uint32_t>(i * p_.bins / 256);
  }

  std::string spec() const override {
    SpecTerm t{"colorhist", {}};
    t.params["space"] = space_name(p_.space);
    t.params["bins"] = std::to_string(p_.bins);
    t.params["joint"] = format_flag(p_.joint);
    put_pyramid_params(p_.pyramid, t);
    return t.canonical();
  }

  std::size_t dim(cv::Size size, int) const override {
    pyramid_.check_size(size, "colorhist");
    return pyramid_.cells() * hist_bins();
  }

  void extract(const cv::Mat& image, float* out) const override {
    check_image(image, "colorhist");
    dim(image.size(), image.channels());
    const int votes_per_pixel = p_.joint ? 1 : 3;
    PixelVote* votes = thread_scratch<PixelVote, struct ColorVotes>(image.total() * votes_per_pixel);
    PixelVote* v = votes;
    const int channels = image.channels();
    for (int y = 0; y < image.rows; ++y) {
      const uint8_t* px = image.ptr<uint8_t>(y);
      for (int x = 0; x < image.cols; ++x, px += channels) {
        const int b = px[0], g = px[channels == 3 ? 1 : 0], r = px[channels == 3 ? 2 : 0];
        const PixelBins bins = p_.space == ColorSpace::rgb ? rgb_bins(r, g, b) : hsv_bins(r, g, b);
        if (p_.joint) {
          *v++ = {(bins[0] * p_.bins + bins[1]) * p_.bins + bins[2], 1.0f};
        } else {
          for (int c = 0; c < 3; ++c) *v++ = {c * p_.bins + bins[c], 1.0f};
        }
      }
    }
    pool_pixel_votes(pyramid_, image.size(), votes, votes_per_pixel, hist_bins(), out);
  }

 private:
  std::size_t hist_bins() const {
    return p_.joint ? std::size_t(p_.bins) * p_.bins * p_.bins : 3 * std::size_t(p_.bins);
  }

  PixelBins rgb_bins(int r, int g, int b) const { return {level_bin_[r], level_bin_[g], level_bin_[b]}; }

  PixelBins hsv_bins(int r, int g, int b) const {
    const int max = std::max({r, g, b});
    const int chroma = max - std::min({r, g, b});
    // hue in sixths of the circle; 0 for grey, whose hue is undefined
    const float sixths = chroma > 0 ? hue_sixths(r, g, b, max, chroma) : 0.0f;
    const auto hue_bin = std::min(static_cast<uint32_t>(sixths * p_.bins / 6.0f), uint32_t(p_.bins - 1));
    const auto sat_bin =
        max > 0 ? std::min(static_cast<uint32_t>(chroma * p_.bins / max), uint32_t(p_.bins - 1)) : 0u;
    return {hue_bin, sat_bin, level_bin_[max]};
  }

  ColorHistParams p_;
  SpatialPyramid pyramid_;
  std::array<uint32_t, 256> level_bin_{};  // bin of an 8-bit channel level
};

}  // namespace

std::optional<std::string> validate(const ColorHistParams& p) {
  if (p.bins < 2 || p.bins > 256) return "bins=" + std::to_string(p.bins) + " must be in 2..256";
  if (p.joint && p.bins > 16) return "bins=" + std::to_string(p.bins) + " with joint=1 must be at most 16";
  return validate(p.pyramid);
}

std::unique_ptr<FeatureExtractor> make_colorhist(const ColorHistParams& params) {
  throw_if_invalid("colorhist", params);
  return std::make_unique<ColorHistExtractor>(params);
}

namespace {

std::vector<ParamHelp> colorhist_param_help() {
  const ColorHistParams d;
  std::vector<ParamHelp> help = {
      {"space", space_name(d.space), "rgb or hsv"},
      {"bins", std::to_string(d.bins), "equal-width bins per channel"},
      {"joint", format_flag(d.joint), "1: one bins^3 histogram of colour triples instead of three"}};
  for (ParamHelp& p : pyramid_param_help(d.pyramid)) help.push_back(std::move(p));
  return help;
}

std::unique_ptr<FeatureExtractor> colorhist_from_term(const SpecTerm& term) {
  term.check_keys(param_keys(colorhist_param_help()));
  ColorHistParams p;
  const std::string space = term.get_string("space", space_name(p.space));
  if (space != "rgb" && space != "hsv")
    throw std::invalid_argument("colorhist: space=" + space + " is not rgb or hsv");
  p.space = space == "rgb" ? ColorSpace::rgb : ColorSpace::hsv;
  p.bins = term.get_int("bins", p.bins);
  p.joint = term.get_bool("joint", p.joint);
  p.pyramid = parse_pyramid_params(term);
  return make_colorhist(p);
}

}  // namespace

RegistryEntry<ExtractorFactory> colorhist_entry() {
  return {"colorhist", "colour histogram per channel or joint, in RGB or HSV", colorhist_param_help(),
          colorhist_from_term};
}

}  // namespace featpipe::features
