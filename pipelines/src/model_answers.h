#pragma once
// What a model answers for every row of its test store, as the compare report needs it: the predicted
// class, how confident it is, and whether the label is among its five best classes.
#include <cstdint>
#include <string>
#include <vector>

#include "featpipe/pipelines/evaluation.h"

namespace featpipe::pipelines {

struct RowAnswers {
  std::vector<int32_t> labels, predicted;
  // Per row, of the predicted class: the softmax probability of a softmax model; the margin of its score
  // over the second best class of an SVM, whose scores are not probabilities.
  std::vector<float> confidence;
  std::string confidence_kind;  // "probability" or "margin"
};

struct ModelAnswers {
  Evaluation evaluation;  // with the top-5 accuracy (top-k for fewer classes)
  RowAnswers rows;
};

/// The model at model_path on the test store at test_paths (several side by side for a model trained on
/// several); evaluate_store's InputErrors.
ModelAnswers answer_rows(const std::string& model_path, const std::vector<std::string>& test_paths);

}  // namespace featpipe::pipelines
