#pragma once
// The compare stage: the raw-vs-engineered report. Every model is evaluated on its test store; the summary
// (accuracy, gain over the baseline, confusion, times and sizes from the provenance) is written to
// DIR/summary.json, then DIR/report.md and DIR/report.html with their plots are drawn by report/report.py
// of the share folder (matplotlib and h5py under Debian's /usr/bin/python3).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace featpipe::pipelines {

struct CompareOptions {
  std::string
      baseline;  // model name (file stem) the gain is measured against; empty: the first raw-pixel one
  std::string title = "featpipe: raw pixels vs engineered features";
  bool plots = true;           // false: summary.json only, no report.md / report.html
  bool allow_overlap = false;  // true: a test store may share images with a model's training store
};

/// tests: one test store per model, in order, or one for all. Writes out_dir (its parent must exist) as
/// stores are written: into out_dir.tmp-PID, moved into place when complete, removed on failure. Returns
/// the summary: {"title", "baseline", "findings": [sentences], "warnings": [strings], "rows": [{"name",
/// "features", "encoding": {"method", "k", "normalisation"} (the columns of the encodings comparison of
/// Chatfield et al. 2011), "dim", "test_acc", "test_ci": [low, high] (Wilson, 95%), "top_k", "top_k_acc",
/// "test_rows", "train_rows", "val_rows", "vocab_k", "times": {stage: seconds}, "warnings" (the model's
/// recorded ones), "confused_pairs", "gain", "vs_baseline": {"gain", "p_value" (McNemar exact),
/// "within_noise", "class_change", ...}, "gallery": {"images": [...]} or {"note"} (with plots only), ...}]}.
/// InputError naming the option or file on bad input: a test store sharing images with the model's training
/// store (unless allow_overlap), test stores that do not hold the same images as the baseline's; RunError
/// naming out_dir and what failed (a file that could not be written and why, a missing Python module) when
/// the report cannot be written.
nlohmann::json compare_models(const std::vector<std::string>& models, const std::vector<std::string>& tests,
                              const std::string& out_dir, const CompareOptions& options);

}  // namespace featpipe::pipelines
