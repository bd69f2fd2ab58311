#include "featpipe/pipelines/compare.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "featpipe/core/errors.h"
#include "featpipe/pipelines/evaluation.h"
#include "share_dir.h"
#include "staged_folder.h"

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

/// The value at a JSON path, or null.
nlohmann::json lookup(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* node = &j;
  for (const char* key : path) {
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
  }
  return *node;
}

/// One row of the summary: the model's test results and what its provenance says of how it was made.
nlohmann::json evaluate(const std::string& model_path, const std::string& test_path) {
  const Evaluation e = evaluate_store(model_path, test_path);
  const classify::ModelFile& model = e.model;
  const classify::ClassificationReport& r = e.report;

  const nlohmann::json& p = model.provenance;
  const nlohmann::json features_prov = lookup(p, {"train", "provenance"});
  const std::string features = features_prov.value("features", std::string("?"));
  nlohmann::json row = {
      {"name", fs::path(model_path).stem().string()},
      {"model", fs::absolute(model_path).string()},
      {"test", fs::absolute(test_path).string()},
      {"features", features},
      {"dim", model.model.dim()},
      {"test_acc", r.accuracy},
      {"confusion", r.confusion},
      {"precision", r.precision},
      {"recall", r.recall},
      {"class_names", model.model.class_names},
      {"extract_seconds", lookup(features_prov, {"seconds"})},
      {"train_seconds", lookup(p, {"result", "seconds"})},
      {"val_acc", lookup(p, {"result", "val_acc"})},
      {"sweep", lookup(p, {"sweep"})},
      {"raw_pixels", features.rfind("raw", 0) == 0 && features.find('+') == std::string::npos},
  };
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

  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < models.size(); ++i) {
    rows.push_back(evaluate(models[i], tests.size() == 1 ? tests[0] : tests[i]));
  }
  const nlohmann::json* base = nullptr;
  for (const nlohmann::json& r : rows) {
    if (options.baseline.empty() ? r["raw_pixels"].get<bool>() : r["name"] == options.baseline) {
      base = &r;
      break;
    }
  }
  if (!options.baseline.empty() && base == nullptr)
    throw InputError("--baseline", "no model is named " + options.baseline);
  for (nlohmann::json& r : rows) {
    r["gain"] =
        base ? nlohmann::json(r["test_acc"].get<double>() - (*base)["test_acc"].get<double>()) : nullptr;
  }

  const nlohmann::json summary = {
      {"title", options.title}, {"baseline", base ? (*base)["name"] : nullptr}, {"rows", rows}};
  StagedFolder report(out_dir);
  report.write_file("summary.json", summary.dump(2) + "\n");
  if (options.plots) draw_report(report.path(), out_dir);
  report.commit();
  return summary;
}

}  // namespace featpipe::pipelines
