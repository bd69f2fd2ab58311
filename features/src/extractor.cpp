#include "featpipe/features/extractor.h"

#include <stdexcept>
#include <vector>

#include "term_factories.h"

namespace featpipe::features {
namespace {

std::unique_ptr<FeatureExtractor> make_term(const SpecTerm& term) {
  return extractor_registry().at(term.name).value(term);
}

/// Terms joined by '+': outputs concatenated in spec order.
class ConcatExtractor final : public FeatureExtractor {
 public:
  explicit ConcatExtractor(std::vector<std::unique_ptr<FeatureExtractor>> parts) : parts_(std::move(parts)) {}

  std::string spec() const override {
    std::string s;
    for (const auto& p : parts_) s += (s.empty() ? "" : "+") + p->spec();
    return s;
  }
  std::size_t dim(cv::Size size, int channels) const override {
    std::size_t d = 0;
    for (const auto& p : parts_) d += p->dim(size, channels);
    return d;
  }
  void extract(const cv::Mat& image, float* out) const override {
    for (const auto& p : parts_) {
      p->extract(image, out);
      out += p->dim(image.size(), image.channels());
    }
  }

 private:
  std::vector<std::unique_ptr<FeatureExtractor>> parts_;
};

}  // namespace

const Registry<ExtractorFactory>& extractor_registry() {
  static const Registry<ExtractorFactory> registry(
      "extractor", {raw_entry(), huehist_entry(), colorhist_entry(), hog_entry(), lbp_entry()});
  return registry;
}

void check_image(const cv::Mat& image, const std::string& who) {
  if (image.empty()) throw std::invalid_argument(who + ": empty image");
  if (image.depth() != CV_8U) {
    throw std::invalid_argument(who + ": image must be 8-bit (CV_8U), got depth " +
                                std::to_string(image.depth()));
  }
  if (image.channels() != 1 && image.channels() != 3) {
    throw std::invalid_argument(who + ": image must have 1 or 3 channels, got " +
                                std::to_string(image.channels()));
  }
}

std::unique_ptr<FeatureExtractor> make_extractor(const std::string& spec) {
  const std::vector<SpecTerm> terms = parse_spec(spec);
  if (terms.size() == 1) return make_term(terms[0]);
  std::vector<std::unique_ptr<FeatureExtractor>> parts;
  for (const SpecTerm& t : terms) parts.push_back(make_term(t));
  return std::make_unique<ConcatExtractor>(std::move(parts));
}

}  // namespace featpipe::features
