#include "model_answers.h"

#include <algorithm>
#include <cmath>

#include "fused_stores.h"

namespace featpipe::pipelines {
namespace {

/// The confidence of a row's best class from its scores.
float confidence(const float* scores, int classes, bool softmax) {
  const float* best = std::max_element(scores, scores + classes);
  if (softmax) {
    double sum = 0;  // shifted by the best score: exp cannot overflow
    for (int c = 0; c < classes; ++c) sum += std::exp(double(scores[c]) - double(*best));
    return float(1 / sum);
  }
  float second = -INFINITY;
  for (int c = 0; c < classes; ++c) {
    if (scores + c != best) second = std::max(second, scores[c]);
  }
  return classes > 1 ? *best - second : 0.0f;
}

}  // namespace

ModelAnswers answer_rows(const std::string& model_path, const std::vector<std::string>& test_paths) {
  ModelAnswers out{evaluate_store(model_path, test_paths, 5, "--test"), {}};
  const Evaluation& e = out.evaluation;
  const bool softmax =
      e.model.provenance.value("params", nlohmann::json::object()).value("loss", "") == "softmax";
  out.rows.labels = e.labels;
  out.rows.predicted = e.predicted;
  out.rows.confidence_kind = softmax ? "probability" : "margin";
  const FusedStores stores(test_paths, "--test");
  const classify::RowSource& data = stores.rows();
  const uint64_t n = data.rows(), block_rows = 4096;
  const int classes = e.model.model.classes();
  out.rows.confidence.resize(n);
  RowMatrix<float> block(Eigen::Index(std::min(block_rows, n)), Eigen::Index(data.dim()));
  for (uint64_t begin = 0; begin < n; begin += block_rows) {
    const uint64_t count = std::min(block_rows, n - begin);
    data.read_rows(begin, count, block.data());
    const RowMatrix<float> scores =
        classify::predict_scores(e.model.model, block.topRows(Eigen::Index(count)), begin);
    for (uint64_t r = 0; r < count; ++r)
      out.rows.confidence[begin + r] = confidence(scores.row(Eigen::Index(r)).data(), classes, softmax);
  }
  return out;
}

}  // namespace featpipe::pipelines
