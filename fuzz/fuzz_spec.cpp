// The spec-string parsers: parse_spec itself (canonical form round trip, typed accessors), feature specs
// (make_extractor; the made extractor run on small images), descriptor specs (make_descriptor, likewise),
// norm specs (parse_norm) and dataset specs (validate_dataset_spec). Input: the spec text.
#include <cstdio>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <stdexcept>
#include <string>

#include "featpipe/core/errors.h"
#include "featpipe/core/spec.h"
#include "featpipe/data/dataset.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/extractor.h"
#include "featpipe/vocab/normalize.h"

namespace {

using namespace featpipe;

[[noreturn]] void contract_broken(const std::string& spec, const std::string& what) {
  std::fprintf(stderr, "featpipe fuzz: spec '%s': %s\n", spec.c_str(), what.c_str());
  std::abort();
}

/// Small test images: a grey and a BGR one of each size, with gradients so extractors find structure.
const std::vector<cv::Mat>& test_images() {
  static const std::vector<cv::Mat> images = [] {
    std::vector<cv::Mat> out;
    for (const cv::Size size : {cv::Size(32, 32), cv::Size(23, 17)}) {
      for (int channels : {1, 3}) {
        cv::Mat image(size, CV_8UC(channels));
        for (int y = 0; y < size.height; ++y) {
          for (int x = 0; x < size.width * channels; ++x) image.ptr<uint8_t>(y)[x] = uint8_t(x * 7 + y * 13);
        }
        out.push_back(image);
      }
    }
    return out;
  }();
  return images;
}

void check_terms(const std::string& spec) {
  const std::vector<SpecTerm> terms = parse_spec(spec);
  const std::string canonical = canonical_spec(terms);
  if (canonical_spec(parse_spec(canonical)) != canonical) contract_broken(spec, "canonical form unstable");
  for (const SpecTerm& term : terms) {
    for (const auto& [key, value] : term.params) {
      if (term.get_string(key, "") != value) contract_broken(spec, "get_string differs from the value");
      for (auto get : {+[](const SpecTerm&t, const std::string&k) { t.get_int(k, 0); },
                       +[](const SpecTerm&t, const std::string&k) { t.get_double(k, 0); },
                       +[](const SpecTerm&t, const std::string&k) { t.get_bool(k, false); }}) {
        try {
          get(term, key);
        } catch (const std::invalid_argument&) {
        }
      }
    }
  }
}

void check_extractor(const std::string& spec) {
  const auto extractor = features::make_extractor(spec);
  if (features::make_extractor(extractor->spec())->spec() != extractor->spec()) {
    contract_broken(spec, "make_extractor(spec()) has another spec");
  }
  for (const cv::Mat& image : test_images()) {
    std::size_t dim = 0;
    try {
      dim = extractor->dim(image.size(), image.channels());
    } catch (const std::invalid_argument&) {
      continue;
    }
    std::vector<float> out(dim + 1, -7.0f);
    extractor->extract(image, out.data());
    if (out[dim] != -7.0f) contract_broken(spec, "extract() wrote past dim()");
  }
}

void check_descriptor(const std::string& spec) {
  const auto descriptor = features::make_descriptor(spec);
  if (features::make_descriptor(descriptor->spec())->spec() != descriptor->spec()) {
    contract_broken(spec, "make_descriptor(spec()) has another spec");
  }
  features::LocalFeatures local;
  for (const cv::Mat& image : test_images()) {
    try {
      descriptor->extract(image, local);
    } catch (const std::invalid_argument&) {
      continue;
    }
    if (local.descriptors.size() != local.size() * descriptor->dim(image.channels())) {
      contract_broken(spec, "descriptors are not frames x dim()");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string spec(reinterpret_cast<const char*>(data), size);
  try {
    check_terms(spec);
  } catch (const std::invalid_argument&) {
  }
  try {
    check_extractor(spec);
  } catch (const std::invalid_argument&) {
  }
  try {
    check_descriptor(spec);
  } catch (const std::invalid_argument&) {
  }
  try {
    vocab::format_norm(vocab::parse_norm(spec));
  } catch (const std::invalid_argument&) {
  }
  try {
    data::validate_dataset_spec(spec);
  } catch (const InputError&) {
  }
  return 0;
}
