#include "featpipe/pipelines/compare.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "baseline_comparison.h"
#include "encoding_facts.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/report_statistics.h"
#include "mistake_gallery.h"
#include "model_answers.h"
#include "model_facts.h"
#include "report_findings.h"
#include "share_dir.h"
#include "staged_folder.h"
#include "test_leakage.h"
#include "train_options.h"

namespace featpipe::pipelines {
namespace {

namespace fs = std::filesystem;

std::string report_script() {
  if (const char* env = std::getenv("FEATPIPE_REPORT_SCRIPT")) return env;
  return (share_dir() / "report" / "report.py").string();
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// Runs the report script on the summary in `folder`; RunError naming `out_dir` with what the script says
/// went wrong (its last line on stderr: a file it could not write and why, a missing Python module).
void draw_report(const fs::path& folder, const std::string& out_dir) {
  const std::string command = "/usr/bin/python3 " + shell_quote(report_script()) + " " +
                              shell_quote(folder.string()) + " 2>&1 >/dev/null";
  std::FILE* script = ::popen(command.c_str(), "r");
  if (script == nullptr) throw RunError(out_dir + ": cannot run the report script (" + command + ")");
  std::string said;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, script) != nullptr) said += buffer;
  const int status = ::pclose(script);
  if (status == 0) return;
  // the last line: the script's own message, or the exception that ended it
  while (!said.empty() && said.back() == '\n') said.pop_back();
  const std::string reason = said.substr(said.find_last_of('\n') + 1);
  throw RunError(out_dir + ": drawing the report failed: " +
                 (reason.empty() ? "the report script ended with status " + std::to_string(status) : reason) +
                 "; nothing was written");
}

constexpr std::size_t kGallerySize = 8;  // the most confident mistakes shown per model
constexpr int kConfusedPairs = 5;

/// One row of the summary: the model's test results and what its provenance says of how it was made.
nlohmann::json evaluate(const std::string& model_path, const std::string& test_path,
                        const ModelAnswers& answers) {
  const Evaluation& e = answers.evaluation;
  const classify::ModelFile& model = e.model;
  const classify::ClassificationReport& r = e.report;

  const nlohmann::json& p = model.provenance;
  const nlohmann::json features_prov = provenance_value(p, {"train", "provenance"});
  const std::string features = model_features(p);
  std::vector<std::string> absolute_tests;
  for (const std::string& path : split_paths(test_path))
    absolute_tests.push_back(fs::absolute(path).string());
  const int64_t right =
      std::count_if(e.labels.begin(), e.labels.end(),
                    [&, i = std::size_t(0)](int32_t label) mutable { return e.predicted[i++] == label; });
  const Interval ci = wilson_interval(right, int64_t(e.labels.size()));
  nlohmann::json pairs = nlohmann::json::array();
  for (const ConfusedPair& c : most_confused_pairs(r.confusion, kConfusedPairs)) {
    pairs.push_back({{"true", model.model.class_names[std::size_t(c.true_class)]},
                     {"predicted", model.model.class_names[std::size_t(c.predicted)]},
                     {"count", c.count}});
  }
  nlohmann::json row = {
      {"name", fs::path(model_path).stem().string()},
      {"model", fs::absolute(model_path).string()},
      {"test", join_paths(absolute_tests)},
      {"features", features},
      {"encoding", encoding_facts(features_prov)},
      {"dim", model.model.dim()},
      {"test_acc", r.accuracy},
      {"test_ci", {ci.low, ci.high}},
      {"top_k", e.top},
      {"top_k_acc", e.top_accuracy},
      {"test_rows", e.labels.size()},
      {"confusion", r.confusion},
      {"confused_pairs", pairs},
      {"precision", r.precision},
      {"recall", r.recall},
      {"class_names", model.model.class_names},
      {"confidence_kind", answers.rows.confidence_kind},
      {"extract_seconds", provenance_value(features_prov, {"seconds"})},
      {"train_seconds", provenance_value(p, {"result", "seconds"})},
      {"val_acc", provenance_value(p, {"result", "val_acc"})},
      {"sweep", provenance_value(p, {"sweep"})},
      {"raw_pixels", features.rfind("raw", 0) == 0 && features.find('+') == std::string::npos},
  };
  row.update(model_facts(p, model_path));
  if (features_prov.contains("image_size")) {
    nlohmann::json size = features_prov["image_size"];
    const std::string raw_size = features_prov.value("features", "");
    // raw(size=WxH) and raw(gray=1) change the pixel grid the templates are drawn on.
    const auto at = raw_size.find("size=");
    if (at != std::string::npos) {
      int w = 0, h = 0;
      if (std::sscanf(raw_size.c_str() + at + 5, "%dx%d", &w, &h) == 2) size[0] = w, size[1] = h;
    }
    if (raw_size.find("gray=1") != std::string::npos) size[2] = 1;
    row["image_size"] = size;
  } else {
    row["raw_pixels"] = false;
  }
  return row;
}

/// InputError("--out", ...) unless the report can go to `dir`, checked before any work: an existing folder
/// it may write into, or a new one in such a folder (a file there, /proc or a read-only folder ended in an
/// internal filesystem error after the evaluation).
void check_report_folder(const std::string& dir) {
  std::error_code ec;
  if (dir.empty()) throw InputError("--out", "is empty; give a folder for the report");
  const fs::path path = fs::absolute(dir);
  const bool exists = fs::exists(path, ec);
  if (exists && !fs::is_directory(path, ec)) {
    throw InputError("--out", dir + " is a file, not a folder; give a folder for the report");
  }
  const fs::path folder = exists ? path : path.parent_path();
  if (!fs::is_directory(folder, ec)) {
    throw InputError("--out", "folder " + folder.string() + " does not exist; create it first");
  }
  // Tried rather than judged from permissions, which root ignores and /proc does not show: a probe folder,
  // removed at once.
  const fs::path probe = folder / (".featpipe-probe-" + std::to_string(::getpid()));
  if (!fs::create_directory(probe, ec)) {
    throw InputError("--out", "folder " + folder.string() + " is not writable (" + ec.message() +
                                  "); give a folder you can write to");
  }
  fs::remove(probe, ec);
}

}  // namespace

nlohmann::json compare_models(const std::vector<std::string>& models, const std::vector<std::string>& tests,
                              const std::string& out_dir, const CompareOptions& options) {
  if (models.empty()) throw InputError("MODEL", "give at least one model store to compare");
  if (tests.size() != models.size() && tests.size() != 1) {
    throw InputError("--test", "give one test store per model (" + std::to_string(models.size()) +
                                   ") or one for all; got " + std::to_string(tests.size()));
  }
  check_report_folder(out_dir);

  nlohmann::json warnings = nlohmann::json::array();
  std::vector<ModelAnswers> answers;
  std::vector<std::unique_ptr<data::FeatureStoreReader>> stores;
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < models.size(); ++i) {
    const std::string& test = tests.size() == 1 ? tests[0] : tests[i];
    const std::vector<std::string> test_stores = split_paths(test);  // side by side for a fused model
    answers.push_back(answer_rows(models[i], test_stores));
    stores.push_back(std::make_unique<data::FeatureStoreReader>(test_stores.front()));
    if (!options.allow_overlap) {
      const std::string unknown = refuse_test_leakage(models[i], answers.back().evaluation.model.provenance,
                                                      test_stores.front(), *stores.back());
      if (!unknown.empty()) warnings.push_back(unknown);
    }
    rows.push_back(evaluate(models[i], test, answers.back()));
  }
  std::size_t base = rows.size();
  for (std::size_t i = 0; i < rows.size() && base == rows.size(); ++i) {
    if (options.baseline.empty() ? rows[i]["raw_pixels"].get<bool>() : rows[i]["name"] == options.baseline)
      base = i;
  }
  if (!options.baseline.empty() && base == rows.size())
    throw InputError("--baseline", "no model is named " + options.baseline);

  for (std::size_t i = 0; i < rows.size(); ++i) {
    nlohmann::json& r = rows[i];
    r["gain"] = nullptr;
    if (base == rows.size()) continue;
    const std::string& test = tests.size() == 1 ? tests[0] : tests[i];
    const std::string& base_test = tests.size() == 1 ? tests[0] : tests[base];
    const std::vector<std::size_t> matched =
        match_rows(split_paths(base_test).front(), *stores[base], split_paths(test).front(), *stores[i]);
    r["vs_baseline"] = compare_with_baseline(answers[base].rows, answers[i].rows, matched,
                                             answers[i].evaluation.model.model.classes());
    r["gain"] = r["vs_baseline"]["gain"];
    if (i != base) {
      const std::string warning = noise_warning(r, rows[base]);
      if (!warning.empty()) warnings.push_back(warning);
    }
  }

  StagedFolder report(out_dir);
  for (std::size_t i = 0; i < rows.size() && options.plots; ++i) {  // thumbnails are for report.html
    const auto mistakes = most_confident_mistakes(answers[i].rows, kGallerySize);
    rows[i]["gallery"] = write_mistake_gallery(*stores[i], rows[i]["test"], answers[i].rows, mistakes,
                                               answers[i].evaluation.model.model.class_names,
                                               "mistake-" + std::to_string(i), report);
    if (rows[i]["gallery"].contains("note")) {
      warnings.push_back(rows[i]["name"].get<std::string>() +
                         ": no gallery of mistakes: " + rows[i]["gallery"]["note"].get<std::string>());
    }
  }
  const nlohmann::json summary = {{"title", options.title},
                                  {"baseline", base < rows.size() ? rows[base]["name"] : nlohmann::json()},
                                  {"findings", findings(rows, base)},
                                  {"warnings", warnings},
                                  {"rows", rows}};
  report.write_file("summary.json", summary.dump(2) + "\n");
  if (options.plots) draw_report(report.path(), out_dir);
  report.commit();
  return summary;
}

}  // namespace featpipe::pipelines
