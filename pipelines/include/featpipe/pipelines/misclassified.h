#pragma once
// The rows of a test store a model gets wrong, each with the image it was made from, for a look at the
// mistakes themselves rather than only their count.
#include <cstdint>
#include <string>
#include <vector>

#include "featpipe/pipelines/evaluation.h"

namespace featpipe::pipelines {

struct MisclassifiedRow {
  uint64_t row = 0;
  std::string image;  // the dataset's name of the row's image, or its index when the dataset cannot say
  int truth = 0, predicted = 0;
  double value = 0;  // the predicted class's probability (softmax model) or score
};

struct Misclassified {
  bool probabilities = false;  // value is a probability, else a score
  std::vector<MisclassifiedRow> rows;
};

/// The rows of the store at data_paths (the stores side by side) that `e` (evaluate_store on them) got
/// wrong, in row order. Images are named through the (first) store's provenance and /index (dataset spec,
/// source set, image index) by the dataset's image_name when it can still be opened, else as "SPEC SET image
/// INDEX".
Misclassified misclassified_rows(const Evaluation& e, const std::vector<std::string>& data_paths);

/// A header line (row, image, true, predicted, probability|score) and one tab-separated line per row.
std::string misclassified_tsv(const Misclassified& m, const std::vector<std::string>& class_names);

}  // namespace featpipe::pipelines
