// featpipe compare: the raw-vs-engineered report. Evaluates each model on its test store, prints the
// table and writes DIR/summary.json, then draws DIR/report.md and DIR/report.html with
// report/report.py of the share folder (share_dir.h; matplotlib + h5py under Debian's /usr/bin/python3).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "commands.h"
#include "featpipe/classify/metrics.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/classify/store_source.h"
#include "featpipe/core/errors.h"
#include "share_dir.h"
#include "train_options.h"

namespace featpipe::pipelines {
namespace {

namespace fs = std::filesystem;

std::string report_script() {
  if (const char* env = std::getenv("FEATPIPE_REPORT_SCRIPT")) return env;
  return (share_dir() / "report" / "report.py").string();
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

nlohmann::json evaluate(const std::string& model_path, const std::string& test_path) {
  const classify::ModelFile model = classify::load_model(model_path);
  const classify::StoreRowSource test(test_path);
  check_same_features(
      signature(model_path, model.provenance, model.model.dim(), model.model.class_names),
      signature(test_path, test.reader().provenance(), test.dim(), test.reader().class_names()));
  const std::vector<int32_t> predicted = predict_store(model.model, test, test_path);
  const classify::ClassificationReport r =
      classify::classification_report(test.labels(), predicted, model.model.classes());

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

}  // namespace

int run_compare(const std::vector<std::string>& args) {
  po::options_description options("compare options");
  std::vector<std::string> models, tests;
  std::string out_dir, baseline, title = "featpipe: raw pixels vs engineered features";
  bool no_plots = false;
  options.add_options()                                                      //
      ("model", po::value(&models), "model stores to compare (positional)")  //
      ("test", po::value(&tests)->multitoken(),
       "test feature stores: one per model, in order, or one for all")                                      //
      ("out", po::value(&out_dir), "report folder (created): summary.json, report.md, report.html, plots")  //
      ("baseline", po::value(&baseline),
       "model name the gain is measured against (default: the first raw-pixel model)")  //
      ("title", po::value(&title)->default_value(title), "report title")                //
      ("no-plots", po::bool_switch(&no_plots), "only the table and summary.json");
  po::positional_options_description positional;
  positional.add("model", -1);
  CommonOptions common;
  auto vm = parse_command_line("compare", "M1.h5 M2.h5 ... --test T1.h5 T2.h5 ... --out DIR", args, options,
                               positional, common);
  if (!vm) return 0;
  require(*vm, "out");
  if (models.empty()) throw InputError("MODEL", "give at least one model store to compare");
  if (tests.size() != models.size() && tests.size() != 1) {
    throw InputError("--test", "give one test store per model (" + std::to_string(models.size()) +
                                   ") or one for all; got " + std::to_string(tests.size()));
  }
  const fs::path parent = fs::absolute(out_dir).parent_path();
  if (!fs::is_directory(parent))
    throw InputError(out_dir, "directory " + parent.string() + " does not exist");

  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < models.size(); ++i) {
    rows.push_back(evaluate(models[i], tests.size() == 1 ? tests[0] : tests[i]));
  }
  const nlohmann::json* base = nullptr;
  for (const nlohmann::json& r : rows) {
    if (baseline.empty() ? r["raw_pixels"].get<bool>() : r["name"] == baseline) {
      base = &r;
      break;
    }
  }
  if (!baseline.empty() && base == nullptr) throw InputError("--baseline", "no model is named " + baseline);
  for (nlohmann::json& r : rows) {
    r["gain"] =
        base ? nlohmann::json(r["test_acc"].get<double>() - (*base)["test_acc"].get<double>()) : nullptr;
  }

  std::printf("%-22s %-40s %7s %9s %8s %8s %8s %8s\n", "pipeline", "features", "dim", "extract s", "train s",
              "val acc", "test acc", "gain");
  auto num = [](const nlohmann::json& j, const char* fmt) {
    char buf[32] = "-";
    if (j.is_number()) std::snprintf(buf, sizeof buf, fmt, j.get<double>());
    return std::string(buf);
  };
  for (const nlohmann::json& r : rows) {
    std::string features = r["features"];
    if (features.size() > 40) features = features.substr(0, 37) + "...";
    std::printf("%-22s %-40s %7llu %9s %8s %8s %8.4f %8s\n", r["name"].get<std::string>().c_str(),
                features.c_str(), static_cast<unsigned long long>(r["dim"].get<uint64_t>()),
                num(r["extract_seconds"], "%.1f").c_str(), num(r["train_seconds"], "%.1f").c_str(),
                num(r["val_acc"], "%.4f").c_str(), r["test_acc"].get<double>(),
                num(r["gain"], "%+.4f").c_str());
  }

  fs::create_directories(out_dir);
  const nlohmann::json summary = {
      {"title", title}, {"baseline", base ? (*base)["name"] : nullptr}, {"rows", rows}};
  {
    const fs::path tmp = fs::path(out_dir) / "summary.json.tmp";
    std::ofstream(tmp) << summary.dump(2) << "\n";
    fs::rename(tmp, fs::path(out_dir) / "summary.json");
  }
  if (no_plots) return 0;
  const std::string command = "/usr/bin/python3 '" + report_script() + "' '" + out_dir + "'" + " > /dev/null";
  if (std::system(command.c_str()) != 0) {
    throw RunError("drawing the report failed (" + command +
                   "); check that python3-matplotlib and python3-h5py are installed (make deps)");
  }
  std::printf("report: %s\n", (fs::path(out_dir) / "report.html").c_str());
  return 0;
}

}  // namespace featpipe::pipelines
