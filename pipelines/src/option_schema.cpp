#include "option_schema.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <typeinfo>

#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/vocab/encoder.h"

namespace featpipe::pipelines {
namespace {

namespace po = boost::program_options;

constexpr double kFinite = std::numeric_limits<double>::max();  // any finite number: infinities refused
constexpr double kCount = 9007199254740992.0;                   // 2^53: a count no store reaches
constexpr double kSeed = 18446744073709551615.0;                // every uint64_t

/// Sizes that allocate per unit are bounded here; the stages then size buffers by the data, never by the
/// option alone (a --block above the split's size takes the split's size).
constexpr std::array kTable = {
    // common
    OptionRange{"threads", 0, 1 << 20, false, false, "threads, 0: all cores"},
    OptionRange{"seed", 0, kSeed, false, false, ""},
    // extract, descriptors, encode (images per block); vocab (descriptors per block)
    OptionRange{"block", 1, kCount, false, false, "images or descriptors"},
    OptionRange{"sample", 1, kCount, false, false, "descriptors"},
    OptionRange{"kernel-order", 0, 64, false, false, ""},
    OptionRange{"soft-neighbours", 1, vocab::kMaxSoftNeighbours, false, false, "words"},
    OptionRange{"soft-beta", 0, kFinite, false, false, "0: from the vocabulary"},
    OptionRange{"llc-knn", 1, 1 << 20, false, false, "words"},
    OptionRange{"llc-beta", 0, kFinite, true, false, ""},
    // vocab
    OptionRange{"k", 1, 1 << 20, false, false, "words"},
    OptionRange{"iterations", 0, 1e9, false, false, "iterations, 0: the method's default"},
    OptionRange{"tolerance", 0, kFinite, false, false, ""},
    OptionRange{"zca-eps", 0, kFinite, false, false, ""},
    OptionRange{"patch-eps", 0, kFinite, false, false, ""},
    OptionRange{"pca", 0, 1 << 20, false, false, "components, 0: none"},
    // train, sweep, gradcheck
    OptionRange{"delta", 0, kFinite, true, false, ""},
    OptionRange{"lambda", 0, kFinite, false, false, ""},
    OptionRange{"lr", 0, kFinite, true, false, ""},
    OptionRange{"l1-ratio", 0, 1, false, false, ""},
    OptionRange{"momentum", 0, 1, false, true, ""},
    OptionRange{"decay", 0, 1, false, true, ""},
    OptionRange{"beta1", 0, 1, false, true, ""},
    OptionRange{"beta2", 0, 1, false, true, ""},
    OptionRange{"eps", 0, kFinite, true, false, ""},
    OptionRange{"average-start", 0, 1e9, false, false, "epochs"},
    OptionRange{"step-epochs", 1, 1e9, false, false, "epochs"},
    OptionRange{"gamma", 0, 1, true, false, ""},
    OptionRange{"min-lr", 0, kFinite, false, false, ""},
    OptionRange{"epochs", 0, 1e9, false, false, "epochs"},
    OptionRange{"batch", 1, kCount, false, false, "rows"},
    OptionRange{"dropout", 0, 1, false, true, ""},
    OptionRange{"early-stop", 0, 1e9, false, false, "epochs, 0: off"},
    OptionRange{"init-scale", 0, kFinite, false, false, ""},
    OptionRange{"checkpoint-every", 0, 1e9, false, false, "epochs, 0: off"},
    OptionRange{"steps", 1, 1000, false, false, "grid points"},
    OptionRange{"lr-steps", 1, 1000, false, false, "grid points"},
    OptionRange{"lambda-steps", 1, 1000, false, false, "grid points"},
    OptionRange{"rows", 0, kCount, false, false, "rows"},
    OptionRange{"dim", 1, 1 << 24, false, false, "features"},
    OptionRange{"classes", 2, 1 << 20, false, false, "classes"},
    OptionRange{"step", 0, 1, true, true, ""},
    // predict, match
    OptionRange{"top", 1, 1 << 20, false, false, "classes"},
    OptionRange{"ratio", 0, 1, true, false, ""},
    OptionRange{"min-similarity", -1, 1, false, false, ""},
    OptionRange{"separation", 0, kFinite, false, false, "descriptor widths"},
    OptionRange{"ransac-threshold", 0, kFinite, true, false, "px"},
    OptionRange{"min-inliers", 2, kCount, false, false, "matches"},
    // verify
    OptionRange{"timeout", 0, 1e7, true, false, "seconds"},
};

bool is_numeric(const std::type_info& t) {
  return t == typeid(int) || t == typeid(unsigned) || t == typeid(long) || t == typeid(unsigned long) ||
         t == typeid(long long) || t == typeid(unsigned long long) || t == typeid(short) ||
         t == typeid(unsigned short) || t == typeid(float) || t == typeid(double);
}

const std::type_info* value_type(const po::option_description& d) {
  const auto* typed = dynamic_cast<const po::typed_value_base*>(d.semantic().get());
  return typed == nullptr ? nullptr : &typed->value_type();
}

std::string bound(double v) { return v >= kSeed ? "2^64 - 1" : format_number(v); }

std::string interval(const OptionRange& r) {
  if (r.max >= kCount) return std::string(r.min_open ? "> " : ">= ") + bound(r.min);
  return std::string(r.min_open ? "in (" : "in [") + bound(r.min) + ", " + bound(r.max) +
         (r.max_open ? ")" : "]");
}

}  // namespace

std::span<const OptionRange> option_ranges() { return kTable; }

const OptionRange* option_range(std::string_view name) {
  const auto it =
      std::find_if(kTable.begin(), kTable.end(), [&](const OptionRange& r) { return r.name == name; });
  return it == kTable.end() ? nullptr : &*it;
}

void check_option_value(const OptionRange& r, double value, const std::string& text) {
  const bool above_min = r.min_open ? value > r.min : value >= r.min;
  const bool below_max = r.max_open ? value < r.max : value <= r.max;
  if (above_min && below_max && std::isfinite(value)) return;
  std::string what =
      std::string(std::isfinite(value) ? "must be " : "must be a finite number ") + interval(r);
  if (!r.unit.empty()) what += " (" + std::string(r.unit) + ")";
  throw InputError("--" + std::string(r.name), what + ", got '" + text + "'");
}

void check_option_ranges(const po::parsed_options& parsed, const po::options_description& options) {
  for (const auto& d : options.options()) {
    const std::type_info* type = value_type(*d);
    if (type != nullptr && is_numeric(*type) && option_range(d->long_name()) == nullptr) {
      throw std::logic_error("option --" + d->long_name() +
                             " is numeric but has no range in option_schema.cpp");
    }
  }
  for (const po::option& o : parsed.options) {
    const po::option_description* d = options.find_nothrow(o.string_key, false);
    if (d == nullptr) continue;
    const std::type_info* type = value_type(*d);
    if (type == nullptr || !is_numeric(*type)) continue;
    const OptionRange& r = *option_range(d->long_name());
    for (const std::string& text : o.value) {
      char* end = nullptr;
      const long double value = std::strtold(text.c_str(), &end);
      while (end != nullptr && (*end == ' ' || *end == '\t')) ++end;
      if (end == text.c_str() || *end != '\0') continue;  // not a number: the option's parser says so
      check_option_value(r, static_cast<double>(value), text);
    }
  }
}

}  // namespace featpipe::pipelines
