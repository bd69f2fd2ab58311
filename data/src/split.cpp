// Splits: train / val / test views of a dataset's source sets, and the stratified, seeded hold-out.
#include "featpipe/data/split.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>

#include "featpipe/core/errors.h"
#include "featpipe/core/random.h"

namespace featpipe::data {
namespace {

/// The number of hold-out images val_size asks for out of n.
int64_t holdout_count(double val_size, std::size_t n) {
  if (!(val_size > 0) || !std::isfinite(val_size)) {
    throw InputError("--val-size", "must be a count >= 1 or a fraction in (0, 1)");
  }
  const int64_t count = val_size >= 1 ? int64_t(val_size) : int64_t(std::llround(val_size * double(n)));
  if (count >= int64_t(n)) {
    throw InputError("--val-size", "asks for " + std::to_string(count) +
                                       " validation images but the training set "
                                       "has only " +
                                       std::to_string(n) +
                                       ", which would leave no training images; "
                                       "use a smaller count or a fraction such as 0.1");
  }
  if (count == 0) {
    throw InputError("--val-size", "selects no images of the " + std::to_string(n) +
                                       " in the training set; use a larger fraction or a count");
  }
  return count;
}

}  // namespace

Split parse_split(const std::string& name) {
  if (name == "train") return Split::train;
  if (name == "val") return Split::val;
  if (name == "test") return Split::test;
  throw InputError("--split", "'" + name + "' is not a split; use train, val (with --val-size) or test");
}

std::string to_string(Split s) {
  switch (s) {
    case Split::train:
      return "train";
    case Split::val:
      return "val";
    case Split::test:
      return "test";
  }
  return "?";
}

double parse_val_size(const std::string& text) {
  char* end = nullptr;
  const double v = text.empty() ? 0 : std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v)) {
    throw InputError("--val-size", "'" + text + "' is not a number; give a count (5000) or a fraction (0.1)");
  }
  if (v <= 0) {
    throw InputError("--val-size", text + " is not positive; give a count (5000) or a fraction in (0, 1)");
  }
  if (v >= 1 && v != std::floor(v)) {
    throw InputError("--val-size",
                     text + " is neither a whole count nor a fraction below 1; e.g. 5000 or 0.1");
  }
  return v;
}

std::vector<int64_t> stratified_holdout(const std::vector<int32_t>& labels, double val_size, uint64_t seed,
                                        random::Stream stream) {
  const std::size_t n = labels.size();
  const int64_t total = holdout_count(val_size, n);

  std::map<int32_t, std::vector<int64_t>> rows_of;  // ascending class order, rows ascending within
  for (std::size_t i = 0; i < n; ++i) rows_of[labels[i]].push_back(int64_t(i));

  // Largest remainders: floor every class's exact share, then give the missing units to the classes
  // with the largest fractional parts (ties to the smaller label), so the total is exact and every
  // class is within one image of its share.
  struct Quota {
    int32_t label;
    int64_t count;
    int64_t remainder;  // in units of 1/n, exact
  };
  std::vector<Quota> quotas;
  int64_t assigned = 0;
  for (const auto& [label, rows] : rows_of) {
    const int64_t share = total * int64_t(rows.size());
    quotas.push_back({label, share / int64_t(n), share % int64_t(n)});
    assigned += share / int64_t(n);
  }
  std::vector<std::size_t> order(quotas.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return quotas[a].remainder > quotas[b].remainder; });
  for (std::size_t k = 0; assigned < total; ++k, ++assigned) ++quotas[order[k]].count;

  // Partial Fisher-Yates per class, classes in ascending label order, one generator throughout.
  random::Generator generator(seed, stream);
  std::vector<int64_t> holdout;
  holdout.reserve(total);
  for (const Quota& q : quotas) {
    std::vector<int64_t> rows = rows_of[q.label];
    // never a class's last image: the training split keeps every class (a class of one image gives none)
    const int64_t take = std::min<int64_t>(q.count, int64_t(rows.size()) - 1);
    for (int64_t i = 0; i < take; ++i) {
      const uint64_t j = uint64_t(i) + generator.below(rows.size() - uint64_t(i));
      std::swap(rows[i], rows[j]);
      holdout.push_back(rows[i]);
    }
  }
  std::sort(holdout.begin(), holdout.end());
  return holdout;
}

std::string describe_image(const SplitView& view, std::size_t i) {
  return view.dataset().image_name(view.source(), static_cast<std::size_t>(view.source_index(i)));
}

SplitView select_split(const Dataset& dataset, Split split, const SplitOptions& options) {
  if (split == Split::test) {
    std::vector<int64_t> rows(dataset.size(Source::test));
    std::iota(rows.begin(), rows.end(), 0);
    return SplitView(dataset, Source::test, std::move(rows));
  }
  if (options.val_size <= 0) {
    if (split == Split::val) {
      throw InputError("--split val",
                       "needs a validation hold-out; add --val-size N (a count such as 5000 or a "
                       "fraction such as 0.1 of the training set)");
    }
    std::vector<int64_t> rows(dataset.size(Source::train));
    std::iota(rows.begin(), rows.end(), 0);
    return SplitView(dataset, Source::train, std::move(rows));
  }
  std::vector<int64_t> holdout =
      stratified_holdout(dataset.labels(Source::train), options.val_size, options.seed);
  if (split == Split::val) return SplitView(dataset, Source::train, std::move(holdout));

  std::vector<int64_t> rest;
  rest.reserve(dataset.size(Source::train) - holdout.size());
  std::size_t h = 0;
  for (int64_t i = 0; i < int64_t(dataset.size(Source::train)); ++i) {
    if (h < holdout.size() && holdout[h] == i) {
      ++h;
    } else {
      rest.push_back(i);
    }
  }
  return SplitView(dataset, Source::train, std::move(rest));
}

}  // namespace featpipe::data
