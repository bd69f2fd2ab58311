#include "featpipe/vocab/normalize.h"

#include <cmath>
#include <stdexcept>

#include "featpipe/core/spec.h"

namespace featpipe::vocab {
namespace {

std::string format_alpha(float alpha) {
  std::string s = std::to_string(alpha);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}

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

std::vector<NormStep> parse_norm(const std::string& spec) {
  if (spec == "none") return {};
  std::vector<NormStep> steps;
  for (const SpecTerm& term : parse_spec(spec)) {
    NormStep step;
    if (term.name == "l1") {
      step.kind = NormKind::l1;
    } else if (term.name == "l2") {
      step.kind = NormKind::l2;
    } else if (term.name == "hellinger") {
      step.kind = NormKind::hellinger;
    } else if (term.name == "power") {
      step.kind = NormKind::power;
      term.check_keys({"alpha"});
      step.alpha = static_cast<float>(term.get_double("alpha", 0.5));
      if (!(step.alpha > 0 && step.alpha <= 1)) {
        throw std::invalid_argument("norm " + term.canonical() + ": alpha must be in (0, 1]");
      }
    } else {
      throw std::invalid_argument("unknown norm '" + term.name +
                                  "'; use l1, l2, hellinger, power(alpha=A) or none, joined by '+'");
    }
    if (step.kind != NormKind::power) term.check_keys({});
    steps.push_back(step);
  }
  return steps;
}

std::string format_norm(const std::vector<NormStep>& steps) {
  if (steps.empty()) return "none";
  std::string s;
  for (const NormStep& step : steps) {
    if (!s.empty()) s += "+";
    switch (step.kind) {
      case NormKind::l1:
        s += "l1";
        break;
      case NormKind::l2:
        s += "l2";
        break;
      case NormKind::hellinger:
        s += "hellinger";
        break;
      case NormKind::power:
        s += "power(alpha=" + format_alpha(step.alpha) + ")";
        break;
    }
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
