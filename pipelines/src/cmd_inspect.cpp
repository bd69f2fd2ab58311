// featpipe inspect: what an HDF5 store holds — kind, datasets, provenance, and for feature stores the class
// counts and feature statistics, computed by row blocks so a store of any size is summarised in bounded
// memory.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

#include "commands.h"
#include "featpipe/core/column_moments.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/data/store.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/cli_observer.h"
#include "featpipe/pipelines/command.h"

namespace featpipe::pipelines {
namespace {

constexpr uint64_t kProgressBytes = uint64_t(256) << 20;  // stores summarised with a progress bar
constexpr uint64_t kAllDimsUpTo = 16;                     // narrower features list every dimension ...
constexpr uint64_t kFirstDims = 8;   // ... wider ones the first few and a summary across all
constexpr uint64_t kRowValues = 10;  // values shown per row by --rows

std::string number(double v) { return format_significant(v, 6); }

std::string shape_text(const std::vector<uint64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string pad(const std::string& s, size_t width) {
  return s + std::string(width - std::min(width, s.size()), ' ');
}

void print_header(const data::StoreReader& store) {
  std::cout << "store:    " << store.path() << "\n"
            << "kind:     " << store.kind() << "\n"
            << "version:  " << store.version() << "\n"
            << "created:  " << (store.created().empty() ? "(not recorded)" : store.created()) << "\n";
  std::vector<std::pair<std::string, std::string>> extra;
  for (auto& [key, value] : store.attributes()) {
    if (key != "featpipe_kind" && key != "featpipe_version" && key != "created" && key != "provenance") {
      extra.emplace_back(key, value);
    }
  }
  if (!extra.empty()) {
    std::cout << "attributes:\n";
    for (const auto& [key, value] : extra) std::cout << "  " << key << ": " << value << "\n";
  }
}

void print_datasets(const std::vector<data::DatasetInfo>& datasets) {
  std::cout << "datasets: " << datasets.size() << "\n";
  size_t name_width = 0, shape_width = 0;
  for (const auto& d : datasets) {
    name_width = std::max(name_width, d.name.size());
    shape_width = std::max(shape_width, shape_text(d.shape).size());
  }
  for (const auto& d : datasets) {
    std::cout << "  " << pad(d.name, name_width) << "  " << pad(data::to_string(d.dtype), 8) << "  "
              << pad(shape_text(d.shape), shape_width) << "  "
              << (!d.sources.empty() ? "virtual, " + std::to_string(d.sources.size()) + " shards"
                  : d.chunk.empty()  ? "contiguous"
                                     : "chunks " + shape_text(d.chunk))
              << "\n";
  }
  // A sharded store (data/sharded_store.h): its shards, from the first virtual dataset (all map the same).
  for (const auto& d : datasets) {
    if (d.sources.empty()) continue;
    std::cout << "shards: " << d.sources.size() << " (the rows of " << d.name
              << " and the other virtual datasets)\n";
    for (const data::VirtualSource& source : d.sources) {
      std::cout << "  " << source.file << "  rows " << source.first << " to "
                << source.first + source.rows - 1 << " (" << source.rows << ")\n";
    }
    break;
  }
}

void print_provenance(const nlohmann::json& provenance) {
  std::cout << "provenance:\n";
  std::istringstream lines(provenance.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  for (std::string line; std::getline(lines, line);) std::cout << "  " << line << "\n";
}

void print_class_counts(const data::FeatureStoreReader& store) {
  const auto& names = store.class_names();
  std::vector<uint64_t> counts(names.size());
  for (int32_t label : store.labels()) ++counts[label];  // the reader has checked 0 <= label < names.size()
  size_t width = 0;
  for (const auto& name : names) width = std::max(width, name.size());
  std::cout << "classes: " << names.size() << " (" << store.rows() << " rows)\n";
  if (store.augmented()) {
    const auto mirrored = std::count(store.augment().begin(), store.augment().end(), uint8_t{1});
    std::cout << "augmented: " << mirrored
              << " of the rows are mirrored copies (/augment 1) of the images of "
              << "the others\n";
  }
  for (size_t c = 0; c < names.size(); ++c) {
    std::cout << "  " << pad(names[c] + ":", width + 1) << " " << counts[c] << "\n";
  }
}

std::string right(const std::string& s, size_t width) {
  return std::string(width - std::min(width, s.size()), ' ') + s;
}

void print_moments_row(const std::string& label, const Moments& m) {
  std::cout << "  " << right(label, 8) << right(number(m.mean), 13) << right(number(m.std_dev()), 13)
            << right(m.n ? number(m.min) : "-", 13) << right(m.n ? number(m.max) : "-", 13);
  if (m.nan + m.inf > 0) std::cout << "   " << m.nan << " NaN, " << m.inf << " Inf";
  std::cout << "\n";
}

void print_summary(const ColumnMoments& summary, uint64_t rows) {
  const Moments all = summary.overall();
  std::cout << "features: " << rows << " rows x " << summary.dim() << " dims (float32)\n"
            << "  " << right("dim", 8) << right("mean", 13) << right("std", 13) << right("min", 13)
            << right("max", 13) << "\n";
  print_moments_row("all", all);
  const uint64_t shown = summary.dim() <= kAllDimsUpTo ? summary.dim() : kFirstDims;
  for (uint64_t d = 0; d < shown; ++d) print_moments_row(std::to_string(d), summary.column(d));
  if (shown < summary.dim())
    std::cout << "  " << right("...", 8) << " (" << summary.dim() - shown << " more dims)\n";

  if (summary.dim() > 1) {
    // The spread of the per-dimension statistics: what a table of every dimension would show, in four lines.
    double mean_lo = INFINITY, mean_hi = -INFINITY, mean_sum = 0, std_lo = INFINITY, std_hi = -INFINITY,
           std_sum = 0;
    uint64_t with_values = 0, constant = 0, with_non_finite = 0;
    for (std::size_t d = 0; d < summary.dim(); ++d) {
      const Moments& m = summary.column(d);
      if (m.nan + m.inf > 0) ++with_non_finite;
      if (m.n == 0) continue;
      ++with_values;
      mean_lo = std::min(mean_lo, m.mean);
      mean_hi = std::max(mean_hi, m.mean);
      mean_sum += m.mean;
      std_lo = std::min(std_lo, m.std_dev());
      std_hi = std::max(std_hi, m.std_dev());
      std_sum += m.std_dev();
      if (m.min == m.max) ++constant;
    }
    std::cout << "  across the " << summary.dim() << " dims:\n";
    if (with_values > 0) {
      std::cout << "    per-dim mean in [" << number(mean_lo) << ", " << number(mean_hi) << "], average "
                << number(mean_sum / with_values) << "\n"
                << "    per-dim std  in [" << number(std_lo) << ", " << number(std_hi) << "], average "
                << number(std_sum / with_values) << "\n";
    }
    std::cout << "    constant dims: " << constant << "\n"
              << "    dims with NaN or Inf: " << with_non_finite << "\n";
  }
  std::cout << "  non-finite values: " << all.nan << " NaN, " << all.inf << " Inf\n";
}

void print_rows(const data::FeatureStoreReader& store, uint64_t requested) {
  const uint64_t count = std::min(requested, store.rows());
  const uint64_t dim = store.dim();
  std::cout << "rows: first " << count << " of " << store.rows() << "\n";
  std::vector<float> row(dim);
  for (uint64_t r = 0; r < count; ++r) {
    store.read_rows(r, 1, row.data());
    const int32_t label = store.labels()[r];
    std::cout << "  row " << r << ": label " << label << " (" << store.class_names()[label] << "), index "
              << store.index()[r] << (store.augment()[r] ? " mirrored" : "") << ":";
    for (uint64_t d = 0; d < std::min(dim, kRowValues); ++d) std::cout << " " << number(row[d]);
    if (dim > kRowValues) std::cout << " ... (" << dim << " values)";
    std::cout << "\n";
  }
}

}  // namespace

int run_inspect(const std::vector<std::string>& args) {
  po::options_description options("inspect options");
  std::string path;
  uint64_t rows = 0;
  options.add_options()                                                       //
      ("store", po::value<std::string>(&path), "the HDF5 store to describe")  //
      ("rows", po::value<uint64_t>(&rows)->default_value(0), "print the first N rows of a feature store");
  po::positional_options_description positional;
  positional.add("store", 1);
  CommonOptions common;
  auto vm = parse_command_line("inspect", "F.h5 [--rows N]", args, options, positional, common);
  if (!vm) return kExitOk;
  if (!vm->count("store")) throw InputError("inspect", "give the store to describe: featpipe inspect F.h5");

  // Open and validate everything before printing, so a bad file gives an error and no partial listing.
  data::StoreReader store(path);
  const std::vector<data::DatasetInfo> datasets = store.list();
  const nlohmann::json provenance = store.provenance();
  std::unique_ptr<data::FeatureStoreReader> features;
  if (store.has("/features")) features = std::make_unique<data::FeatureStoreReader>(path, "");
  if (rows > 0 && !features) throw InputError("--rows", path + " has no /features to print rows of");

  print_header(store);
  print_datasets(datasets);
  print_provenance(provenance);
  if (features) {
    print_class_counts(*features);
    if (features->rows() > 0) {
      // smaller stores are summarised too fast for a progress bar
      const bool quiet = common.quiet || features->rows() * features->dim() * sizeof(float) < kProgressBytes;
      CliObserver observer(quiet);
      print_summary(data::feature_moments(*features, observer), features->rows());
    }
    if (rows > 0) print_rows(*features, rows);
  }
  std::cout << std::flush;
  return kExitOk;
}

}  // namespace featpipe::pipelines
