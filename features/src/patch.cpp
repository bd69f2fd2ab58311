#include "featpipe/features/patch.h"

#include <cmath>
#include <stdexcept>

#include "descriptor_factories.h"
#include "featpipe/features/extractor.h"
#include "term_params.h"

namespace featpipe::features {
namespace {

class PatchDescriptor final : public DescriptorExtractor {
 public:
  explicit PatchDescriptor(const PatchParams& p) : p_(p) {}

  std::string spec() const override {
    SpecTerm t{"patch", {}};
    t.params["size"] = std::to_string(p_.size);
    t.params["stride"] = std::to_string(p_.stride);
    t.params["eps"] = format_number(p_.eps);
    t.params["norm"] = format_flag(p_.normalise);
    return t.canonical();
  }

  std::size_t dim(int channels) const override { return std::size_t(p_.size) * p_.size * channels; }

  void extract(const cv::Mat& image, LocalFeatures& out) const override {
    check_image(image, "patch");
    if (image.cols < p_.size || image.rows < p_.size) {
      const std::string side = std::to_string(p_.size);
      throw std::invalid_argument(spec() + ": image " + std::to_string(image.cols) + "x" +
                                  std::to_string(image.rows) + " is too small; needs at least " + side + "x" +
                                  side + " pixels");
    }
    const std::size_t d = dim(image.channels());
    const int row_len = p_.size * image.channels();
    const int across = (image.cols - p_.size) / p_.stride + 1, down = (image.rows - p_.size) / p_.stride + 1;
    out.frames.resize(std::size_t(across) * down);
    out.descriptors.resize(out.frames.size() * d);
    const float centre = (p_.size - 1) / 2.0f;
    float* desc = out.descriptors.data();
    Frame* frame = out.frames.data();
    for (int y0 = 0; y0 + p_.size <= image.rows; y0 += p_.stride) {
      for (int x0 = 0; x0 + p_.size <= image.cols; x0 += p_.stride, desc += d) {
        *frame++ = {x0 + centre, y0 + centre, p_.size / 12.0f, 0.0f};
        float* v = desc;
        for (int y = y0; y < y0 + p_.size; ++y) {
          const uint8_t* row = image.ptr<uint8_t>(y) + x0 * image.channels();
          for (int i = 0; i < row_len; ++i) *v++ = row[i];
        }
        if (p_.normalise) normalise(desc, d);
      }
    }
  }

 private:
  void normalise(float* v, std::size_t d) const {
    double sum = 0, sum2 = 0;
    for (std::size_t i = 0; i < d; ++i) {
      sum += v[i];
      sum2 += double(v[i]) * v[i];
    }
    const double mean = sum / d;
    const double variance = std::max(0.0, sum2 / d - mean * mean);
    const float scale = static_cast<float>(1.0 / std::sqrt(variance + p_.eps));
    for (std::size_t i = 0; i < d; ++i) v[i] = static_cast<float>(v[i] - mean) * scale;
  }

  PatchParams p_;
};

std::vector<ParamHelp> patch_param_help() {
  const PatchParams d;
  return {
      {"size", std::to_string(d.size), "patch side in pixels"},
      {"stride", std::to_string(d.stride), "pixels between patch corners"},
      {"eps", format_number(d.eps), "added to the variance before dividing (pixels in [0, 255])"},
      {"norm", format_flag(d.normalise), "1: subtract each patch's mean, divide by sqrt(variance + eps)"}};
}

std::unique_ptr<DescriptorExtractor> patch_from_term(const SpecTerm& term) {
  term.check_keys(param_keys(patch_param_help()));
  PatchParams p;
  p.size = term.get_int("size", p.size);
  p.stride = term.get_int("stride", p.stride);
  p.eps = term.get_double("eps", p.eps);
  p.normalise = term.get_bool("norm", p.normalise);
  return make_patch(p);
}

}  // namespace

std::optional<std::string> validate(const PatchParams& p) {
  if (p.size < 1 || p.size > 64) return "size must be in 1..64 pixels";
  if (p.stride < 1) return "stride must be at least 1";
  if (!(p.eps > 0)) return "eps must be positive";
  return std::nullopt;
}

std::unique_ptr<DescriptorExtractor> make_patch(const PatchParams& params) {
  throw_if_invalid("patch", params);
  return std::make_unique<PatchDescriptor>(params);
}

RegistryEntry<DescriptorFactory> patch_entry() {
  return {"patch", "raw pixel patches, each normalised (Coates, Lee & Ng 2011)", patch_param_help(),
          patch_from_term};
}

}  // namespace featpipe::features
