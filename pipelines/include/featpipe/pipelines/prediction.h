#pragma once
// What predict tells of each image: its best classes with their probabilities (a softmax model, whose
// scores are log-probabilities up to a constant) or their scores (a margin loss such as the SVM's, whose
// scores have no probabilistic reading), and the files it could not read.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "featpipe/core/matrix.h"
#include "featpipe/pipelines/image_inputs.h"

namespace featpipe::pipelines {

struct ImagePrediction {
  std::string image;
  std::vector<int> classes;    // the best classes, best first (ties: the lower class)
  std::vector<double> values;  // their probabilities or scores
};

struct PredictionRun {
  bool probabilities = false;  // values are softmax probabilities, else raw scores
  std::vector<std::string> class_names;
  std::vector<ImagePrediction> images;  // in the order given
  std::vector<SkippedInput> skipped;    // files that could not be read, with why
};

/// Whether a model's scores read as probabilities once through the softmax: it was trained with the
/// softmax loss (its provenance's params.loss).
bool scores_are_probabilities(const nlohmann::json& model_provenance);

/// softmax(scores) of one row, computed from the largest score down so that no exponential overflows.
std::vector<double> softmax(const std::vector<double>& scores);

/// The `top` best classes of every row of `scores` [images, classes] (top capped at the classes), as
/// probabilities when `probabilities`.
std::vector<ImagePrediction> rank_classes(const std::vector<std::string>& images,
                                          ConstMatrixView<float> scores, int top, bool probabilities);

/// A header line ("image", then class_K and probability_K or score_K for K = 1..top) and one row per image,
/// tab-separated.
std::string predictions_tsv(const PredictionRun& run);

/// One JSON document: {"values": "probability"|"score", "predictions": [{"image", "class", "top":
/// [{"class", "probability"|"score"}]}], "skipped": [{"image", "reason"}]}.
std::string predictions_json(const PredictionRun& run);

}  // namespace featpipe::pipelines
