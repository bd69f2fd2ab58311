// featpipe compare: the raw-vs-engineered report (pipelines::compare_models), with its table printed.
#include <cstdio>
#include <filesystem>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/compare.h"
#include "featpipe/pipelines/console.h"

namespace featpipe::pipelines {

namespace {

/// A stage's time as the table shows it: seconds, or milliseconds below 0.1 s, which "%.1f" printed as 0.0.
std::string seconds(const nlohmann::json& s) {
  if (!s.is_number()) return "-";
  char buffer[32];
  const double v = s.get<double>();
  if (v >= 0.1) {
    std::snprintf(buffer, sizeof buffer, "%.1f", v);
  } else if (v < 0.00005) {
    std::snprintf(buffer, sizeof buffer, "<0.1ms");
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1fms", v * 1000);
  }
  return buffer;
}

/// A number with a printf format, or "-" when it is not one.
std::string number(const nlohmann::json& j, const char* fmt) {
  char buf[32] = "-";
  if (j.is_number()) std::snprintf(buf, sizeof buf, fmt, j.get<double>());
  return buf;
}

std::string clipped(std::string text, std::size_t width) {
  if (text.size() > width) text = text.substr(0, width - 3) + "...";
  return text;
}

/// The table of Chatfield et al. (BMVC 2011): per model its encoding and vocabulary, K, dimension,
/// normalisation and pooling, accuracies (test with its 95% interval) and the time to encode the training
/// split (or extract its features).
void print_encodings_table(const nlohmann::json& rows) {
  std::printf("\nencodings (Chatfield et al. 2011)\n%-22s %-24s %5s %7s %-44s %8s %-26s %9s\n", "pipeline",
              "method", "K", "dim", "normalisation / pooling", "val acc", "test acc [95% CI]", "encode s");
  for (const nlohmann::json& r : rows) {
    const nlohmann::json& e = r["encoding"];
    const nlohmann::json& times = r["times"];
    const std::string test = number(r["test_acc"], "%.4f") + " [" + number(r["test_ci"][0], "%.4f") + ", " +
                             number(r["test_ci"][1], "%.4f") + "]";
    std::printf("%-22s %-24s %5s %7llu %-44s %8s %-26s %9s\n", r["name"].get<std::string>().c_str(),
                clipped(e["method"], 24).c_str(), number(e["k"], "%.0f").c_str(),
                static_cast<unsigned long long>(r["dim"].get<uint64_t>()),
                clipped(e["normalisation"], 44).c_str(), number(r["val_acc"], "%.4f").c_str(), test.c_str(),
                seconds(times.contains("encode") ? times["encode"] : times.value("extract", nlohmann::json()))
                    .c_str());
  }
}

}  // namespace

int run_compare(const std::vector<std::string>& args) {
  po::options_description options("compare options");
  std::vector<std::string> models, tests;
  std::string out_dir, baseline, title = "featpipe: raw pixels vs engineered features";
  bool no_plots = false, allow_overlap = false;
  options.add_options()                                                      //
      ("model", po::value(&models), "model stores to compare (positional)")  //
      ("test", po::value(&tests)->multitoken(),
       "test feature stores: one per model, in order, or one for all; A.h5,B.h5 for a model trained on "
       "several stores (their test stores, in its --train order)")                                          //
      ("out", po::value(&out_dir), "report folder (created): summary.json, report.md, report.html, plots")  //
      ("baseline", po::value(&baseline),
       "model name the gain is measured against (default: the first raw-pixel model)")  //
      ("title", po::value(&title)->default_value(title), "report title")                //
      ("no-plots", po::bool_switch(&no_plots), "only the table and summary.json")       //
      ("allow-overlap", po::bool_switch(&allow_overlap),
       "accept a test store that shares images with a model's training store");
  po::positional_options_description positional;
  positional.add("model", -1);
  CommonOptions common;
  auto vm = parse_command_line("compare", "M1.h5 M2.h5 ... --test T1.h5 T2.h5 ... --out DIR", args, options,
                               positional, common);
  if (!vm) return 0;
  require(*vm, "out");
  CompareOptions compare;
  compare.baseline = baseline;
  compare.title = title;
  compare.plots = !no_plots;
  compare.allow_overlap = allow_overlap;
  const nlohmann::json summary = compare_models(models, tests, out_dir, compare);
  const nlohmann::json& rows = summary["rows"];

  std::printf("%-22s %-40s %7s %9s %8s %8s %8s %8s %9s\n", "pipeline", "features", "dim", "extract s",
              "train s", "val acc", "test acc", "gain", "McNemar p");
  for (const nlohmann::json& warning : summary["warnings"]) {
    notify(Notice::warning, warning.get<std::string>());
  }
  for (const nlohmann::json& r : rows) {
    const std::string features = clipped(r["features"], 40);
    // the baseline against itself has no test: only the others get a p-value and the noise mark
    const bool tested = r.contains("vs_baseline") && r["name"] != summary["baseline"];
    // Below 1e-4 in scientific notation, so that a clear difference does not read as p = 0.
    const double p_value = tested ? r["vs_baseline"]["p_value"].get<double>() : 1.0;
    const std::string p =
        !tested ? "-" : number(r["vs_baseline"]["p_value"], p_value < 1e-4 ? "%.1e" : "%.4f");
    const char* noise = tested && r["vs_baseline"]["within_noise"].get<bool>() ? " within noise" : "";
    std::printf("%-22s %-40s %7llu %9s %8s %8s %8.4f %8s %9s%s\n", r["name"].get<std::string>().c_str(),
                features.c_str(), static_cast<unsigned long long>(r["dim"].get<uint64_t>()),
                seconds(r["extract_seconds"]).c_str(), seconds(r["train_seconds"]).c_str(),
                number(r["val_acc"], "%.4f").c_str(), r["test_acc"].get<double>(),
                number(r["gain"], "%+.4f").c_str(), p.c_str(), noise);
  }
  print_encodings_table(rows);

  if (no_plots) return 0;
  std::printf("report: %s\n", (std::filesystem::path(out_dir) / "report.html").c_str());
  return 0;
}

}  // namespace featpipe::pipelines
