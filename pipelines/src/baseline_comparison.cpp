#include "baseline_comparison.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <utility>

#include "featpipe/core/errors.h"
#include "featpipe/pipelines/report_statistics.h"
#include "featpipe/pipelines/store_overlap.h"

namespace featpipe::pipelines {

std::vector<std::size_t> match_rows(const std::string& base_path, const data::FeatureStoreReader& base,
                                    const std::string& model_path, const data::FeatureStoreReader& model) {
  std::vector<std::size_t> rows(model.rows());
  std::error_code ec;
  if (std::filesystem::equivalent(base_path, model_path, ec)) {
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    return rows;
  }
  const std::string origin = row_origin(base.provenance());
  const auto refuse = [&](const std::string& why) {
    throw InputError(model_path, "and the baseline's test store " + base_path + " " + why +
                                     ", so the two models cannot be compared image by image (McNemar's "
                                     "test); make every test store from the same dataset with --split test "
                                     "and the same --subset and --seed");
  };
  if (origin.empty() || origin != row_origin(model.provenance())) refuse("do not come from the same images");
  if (base.rows() != model.rows()) {
    refuse("hold " + std::to_string(model.rows()) + " and " + std::to_string(base.rows()) + " images");
  }
  // Rows pair by image and /augment: the mirrored row of an image with the mirrored row (test stores are
  // never augmented, but a training store given as one may be).
  const auto key = [](const data::FeatureStoreReader& store, std::size_t row) {
    return std::pair<int64_t, uint8_t>(store.index()[row], store.augment()[row]);
  };
  std::map<std::pair<int64_t, uint8_t>, std::size_t> base_row;
  for (std::size_t i = 0; i < base.rows(); ++i) base_row.emplace(key(base, i), i);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto found = base_row.find(key(model, i));
    if (found == base_row.end()) {
      refuse("hold other images (image " + std::to_string(model.index()[i]) + " is only in the first)");
    }
    rows[i] = found->second;
  }
  return rows;
}

nlohmann::json compare_with_baseline(const RowAnswers& base, const RowAnswers& model,
                                     const std::vector<std::size_t>& base_row, int classes) {
  int64_t only_model = 0, only_base = 0, model_right = 0, base_right = 0;
  std::vector<int32_t> base_predicted(model.labels.size());
  for (std::size_t i = 0; i < model.labels.size(); ++i) {
    const std::size_t b = base_row[i];
    base_predicted[i] = base.predicted[b];
    const bool m_ok = model.predicted[i] == model.labels[i], b_ok = base.predicted[b] == base.labels[b];
    model_right += m_ok;
    base_right += b_ok;
    only_model += m_ok && !b_ok;
    only_base += b_ok && !m_ok;
  }
  const double n = double(std::max<std::size_t>(model.labels.size(), 1));
  const std::vector<double> model_acc = per_class_accuracy(model.labels, model.predicted, classes);
  const std::vector<double> base_acc = per_class_accuracy(model.labels, base_predicted, classes);
  nlohmann::json change = nlohmann::json::array();
  for (int c = 0; c < classes; ++c) {
    const double d = model_acc[std::size_t(c)] - base_acc[std::size_t(c)];
    change.push_back(std::isnan(d) ? nlohmann::json() : nlohmann::json(d));
  }
  const double p = mcnemar_exact_p(only_model, only_base);
  return {{"images", model.labels.size()},
          {"gain", double(model_right - base_right) / n},
          {"only_model", only_model},
          {"only_baseline", only_base},
          {"p_value", p},
          {"test", "McNemar exact (two-sided binomial on the discordant images)"},
          {"within_noise", p >= 0.05},
          {"class_change", change}};
}

}  // namespace featpipe::pipelines
