#include "featpipe/vocab/normalize.h"

#include <cmath>
#include <stdexcept>

#include "featpipe/core/format.h"
#include "featpipe/core/spec.h"

namespace featpipe::vocab {
namespace {

void scale_by_inverse(float* v, std::size_t width, double norm) {
  if (!(norm > 0)) return;
  const float inverse = static_cast<float>(1.0 / norm);
  for (std::size_t i = 0; i < width; ++i) v[i] *= inverse;
}

double l1_norm(const float* v, std::size_t width) {
  double sum = 0;
  for (std::size_t i = 0; i < width; ++i) sum += std::abs(v[i]);
  return sum;
}

void signed_power(float* v, std::size_t width, float alpha) {
  for (std::size_t i = 0; i < width; ++i) v[i] = std::copysign(std::pow(std::abs(v[i]), alpha), v[i]);
}

}  // namespace

const Registry<NormKind>& norm_registry() {
  static const Registry<NormKind> registry(
      "norm", {{"l1", "v / sum |v|", {}, NormKind::l1},
               {"l2", "v / ||v||", {}, NormKind::l2},
               {"hellinger",
                "sign(v) sqrt(|v| / sum |v|): the Bhattacharyya kernel of histograms",
                {},
                NormKind::hellinger},
               {"power",
                "sign(v) |v|^alpha (before l2: the improved Fisher vector)",
                {{"alpha", format_float(NormStep{}.alpha), "exponent in (0, 1]"}},
                NormKind::power}});
  return registry;
}

std::vector<NormStep> parse_norm(const std::string& spec) {
  if (spec == "none") return {};
  std::vector<NormStep> steps;
  for (const SpecTerm& term : parse_spec(spec)) {
    const RegistryEntry<NormKind>* entry = norm_registry().find(term.name);
    if (!entry && term.name == "none") {
      throw std::invalid_argument(
          "none stands alone (no normalisation) and cannot be joined with other steps");
    }
    if (!entry) {
      throw std::invalid_argument(unknown_name_message("norm", term.name, norm_registry().names()) +
                                  " (steps are joined by '+'; none for no normalisation)");
    }
    term.check_keys(param_keys(entry->params));
    NormStep step;
    step.kind = entry->value;
    step.alpha = static_cast<float>(term.get_double("alpha", step.alpha));
    if (!(step.alpha > 0 && step.alpha <= 1)) {
      throw std::invalid_argument("norm " + term.canonical() + ": alpha must be in (0, 1]");
    }
    steps.push_back(step);
  }
  return steps;
}

std::string format_norm(const std::vector<NormStep>& steps) {
  if (steps.empty()) return "none";
  std::string s;
  for (const NormStep& step : steps) {
    if (!s.empty()) s += "+";
    s += norm_registry().entry_of(step.kind).name;
    if (step.kind == NormKind::power) s += "(alpha=" + format_float(step.alpha) + ")";
  }
  return s;
}

void normalize_blocks(float* values, std::size_t blocks, std::size_t width,
                      const std::vector<NormStep>& steps) {
  for (std::size_t b = 0; b < blocks; ++b) {
    float* v = values + b * width;
    for (const NormStep& step : steps) {
      switch (step.kind) {
        case NormKind::l1:
          scale_by_inverse(v, width, l1_norm(v, width));
          break;
        case NormKind::l2: {
          double sum = 0;
          for (std::size_t i = 0; i < width; ++i) sum += double(v[i]) * v[i];
          scale_by_inverse(v, width, std::sqrt(sum));
          break;
        }
        case NormKind::hellinger:
          scale_by_inverse(v, width, l1_norm(v, width));
          signed_power(v, width, 0.5f);
          break;
        case NormKind::power:
          signed_power(v, width, step.alpha);
          break;
      }
    }
  }
}

}  // namespace featpipe::vocab
