#include "featpipe/pipelines/prediction.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace featpipe::pipelines {

bool scores_are_probabilities(const nlohmann::json& p) {
  if (!p.is_object() || !p.contains("params") || !p["params"].is_object()) return false;
  return p["params"].value("loss", "") == "softmax";
}

std::vector<double> softmax(const std::vector<double>& scores) {
  std::vector<double> p(scores.size());
  if (scores.empty()) return p;
  const double top = *std::max_element(scores.begin(), scores.end());
  double sum = 0;
  for (std::size_t c = 0; c < scores.size(); ++c) sum += p[c] = std::exp(scores[c] - top);
  for (double& v : p) v /= sum;
  return p;
}

std::vector<ImagePrediction> rank_classes(const std::vector<std::string>& images,
                                          ConstMatrixView<float> scores, int top, bool probabilities) {
  const int classes = static_cast<int>(scores.cols());
  const int shown = std::min(top, classes);
  std::vector<ImagePrediction> ranked;
  for (std::size_t i = 0; i < images.size(); ++i) {
    std::vector<double> values(static_cast<std::size_t>(classes));
    for (int c = 0; c < classes; ++c) values[c] = scores(Eigen::Index(i), c);
    if (probabilities) values = softmax(values);
    std::vector<int> order(static_cast<std::size_t>(classes));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return values[a] > values[b]; });
    ImagePrediction p{images[i], {}, {}};
    for (int k = 0; k < shown; ++k) {
      p.classes.push_back(order[k]);
      p.values.push_back(values[order[k]]);
    }
    ranked.push_back(std::move(p));
  }
  return ranked;
}

namespace {

const char* value_name(const PredictionRun& run) { return run.probabilities ? "probability" : "score"; }

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

}  // namespace

std::string predictions_tsv(const PredictionRun& run) {
  std::size_t shown = 0;
  for (const ImagePrediction& p : run.images) shown = std::max(shown, p.classes.size());
  std::string out = "image";
  for (std::size_t k = 1; k <= shown; ++k) {
    out += "\tclass_" + std::to_string(k) + "\t" + value_name(run) + "_" + std::to_string(k);
  }
  out += "\n";
  for (const ImagePrediction& p : run.images) {
    out += p.image;
    for (std::size_t k = 0; k < p.classes.size(); ++k) {
      out += "\t" + run.class_names[p.classes[k]] + "\t" + number(p.values[k]);
    }
    out += "\n";
  }
  return out;
}

std::string predictions_json(const PredictionRun& run) {
  // ordered_json: the keys in the order a reader looks for them (image before its classes).
  using Json = nlohmann::ordered_json;
  Json predictions = Json::array(), skipped = Json::array();
  for (const ImagePrediction& p : run.images) {
    Json top = Json::array();
    for (std::size_t k = 0; k < p.classes.size(); ++k) {
      top.push_back({{"class", run.class_names[p.classes[k]]}, {value_name(run), p.values[k]}});
    }
    predictions.push_back({{"image", p.image},
                           {"class", p.classes.empty() ? "" : run.class_names[p.classes[0]]},
                           {"top", top}});
  }
  for (const SkippedInput& s : run.skipped) skipped.push_back({{"image", s.path}, {"reason", s.reason}});
  const Json doc = {{"values", value_name(run)}, {"predictions", predictions}, {"skipped", skipped}};
  // A file name that is not UTF-8 is written with U+FFFD in its place rather than aborting the document.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace featpipe::pipelines
