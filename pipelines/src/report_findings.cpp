#include "report_findings.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace featpipe::pipelines {
namespace {

std::string format(const char* fmt, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, fmt, value);
  return buffer;
}

/// "p = 0.0123", small values in scientific notation so they do not read as 0.
std::string p_value(double p) { return p < 1e-4 ? format("p = %.1e", p) : format("p = %.4f", p); }

std::string name(const nlohmann::json& row) { return row["name"].get<std::string>(); }

double half_width(const nlohmann::json& row) {
  return (row["test_ci"][1].get<double>() - row["test_ci"][0].get<double>()) / 2;
}

/// "cat (+0.200), dog (+0.150)": the classes with the largest gains over the baseline, up to three.
std::string largest_class_gains(const nlohmann::json& row) {
  std::vector<std::pair<double, std::string>> gains;
  const nlohmann::json& change = row["vs_baseline"]["class_change"];
  for (std::size_t c = 0; c < change.size(); ++c) {
    if (change[c].is_number() && change[c].get<double>() > 0)
      gains.emplace_back(change[c].get<double>(), row["class_names"][c].get<std::string>());
  }
  std::stable_sort(gains.begin(), gains.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string text;
  for (std::size_t k = 0; k < std::min<std::size_t>(3, gains.size()); ++k)
    text += (k ? ", " : "") + gains[k].second + format(" (%+.3f)", gains[k].first);
  return text;
}

}  // namespace

nlohmann::json findings(const nlohmann::json& rows, std::size_t base) {
  nlohmann::json lines = nlohmann::json::array();
  std::size_t best = 0;
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (rows[i]["test_acc"].get<double>() > rows[best]["test_acc"].get<double>()) best = i;
  const nlohmann::json& b = rows[best];
  lines.push_back("Best pipeline: " + name(b) + ", test accuracy " +
                  format("%.4f", b["test_acc"].get<double>()) + " (95% CI " +
                  format("%.4f", b["test_ci"][0].get<double>()) + "-" +
                  format("%.4f", b["test_ci"][1].get<double>()) + ", " +
                  std::to_string(b["test_rows"].get<uint64_t>()) + " test images).");
  if (base == rows.size()) {
    lines.push_back(
        "No raw-pixel baseline among the models (or --baseline): no gains or significance tests.");
    return lines;
  }
  if (rows.size() == 1) return lines;  // the baseline alone: nothing to compare it with
  if (best == base) {
    lines.push_back("The baseline " + name(b) + " is the best pipeline: no engineered pipeline beats it.");
  } else {
    const nlohmann::json& vs = b["vs_baseline"];
    const bool noise = vs["within_noise"].get<bool>();
    std::string line = "Over the baseline " + name(rows[base]) + " it gains " +
                       format("%+.4f", vs["gain"].get<double>()) + " (McNemar exact " +
                       p_value(vs["p_value"].get<double>()) + "; " +
                       std::to_string(vs["only_model"].get<int64_t>()) + " images only it got right, " +
                       std::to_string(vs["only_baseline"].get<int64_t>()) + " only the baseline)";
    line += noise ? ": within noise, the test set cannot tell the two apart." : ".";
    lines.push_back(line);
    const std::string classes = largest_class_gains(b);
    if (!noise && !classes.empty()) lines.push_back("It gains most on " + classes + ".");
  }
  bool all_noise = true;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (i != base && !rows[i]["vs_baseline"]["within_noise"].get<bool>()) all_noise = false;
  if (all_noise && rows.size() > 1)
    lines.push_back("Every difference from the baseline is within noise (McNemar p >= 0.05).");
  return lines;
}

std::string noise_warning(const nlohmann::json& row, const nlohmann::json& base) {
  const nlohmann::json& vs = row["vs_baseline"];
  // McNemar's paired test decides: a gain smaller than the interval of one accuracy can still be clear when
  // the two models differ on few images.
  if (!vs["within_noise"].get<bool>()) return "";
  const double gain = vs["gain"].get<double>(), half = half_width(row);
  return "the test set (" + std::to_string(vs["images"].get<uint64_t>()) + " images) is too small to tell " +
         name(row) + " from " + name(base) + ": gain " + format("%+.4f", gain) + ", 95% CI half-width " +
         format("%.4f", half) + ", McNemar " + p_value(vs["p_value"].get<double>());
}

}  // namespace featpipe::pipelines
