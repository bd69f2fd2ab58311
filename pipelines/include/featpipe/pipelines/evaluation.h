#pragma once
// The eval and predict stages: a model on a feature store made like its training store, and a model with
// its whole feature chain rebuilt on new image files.
#include <memory>
#include <string>
#include <vector>

#include "featpipe/classify/metrics.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/core/matrix.h"
#include "featpipe/pipelines/feature_chain.h"
#include "featpipe/pipelines/prediction.h"

namespace featpipe::pipelines {

struct Evaluation {
  classify::ModelFile model;
  std::vector<int32_t> labels, predicted;  // per row of the store
  classify::ClassificationReport report;
  int top = 1;              // k of top_accuracy (1: not computed)
  double top_accuracy = 0;  // the share of rows whose label is among their `top` best classes
};

/// The model at model_path on the feature store at data_path, with the top-`top` accuracy when top > 1 (for
/// sets of many classes, as ImageNet's top-5). InputError naming a file when the store's features,
/// dimension or classes differ from the model's training store, or it holds NaN or infinities. A model
/// trained on several stores side by side is evaluated on as many stores of the same rows, each with the
/// features of the training store at its place (data_paths in the same order); `option` is named when
/// their number is not the model's.
Evaluation evaluate_store(const std::string& model_path, const std::vector<std::string>& data_paths,
                          int top = 1, const std::string& option = "--store");

/// A model and the feature chain of its training store: scores image files exactly as its training rows
/// were made (decoding, resize, extractor or descriptor + vocabulary + encoding); for a model of several
/// stores, each store's chain in turn, their features side by side.
class ImageClassifier {
 public:
  /// InputError naming the model when its provenance does not say how its features were made, or the
  /// chain's width differs from the model's.
  explicit ImageClassifier(const std::string& model_path);
  const classify::LinearModel& model() const { return file_.model; }
  /// One line: how images become features.
  std::string describe() const { return chain_->describe(); }
  /// Scores [images, classes]; every file is decoded and featurised first, so a bad file (InputError
  /// naming it) fails before any score is computed.
  RowMatrix<float> scores(const std::vector<std::string>& images) const;
  /// The `top` best classes of each image file, as probabilities for a softmax model; a file that cannot
  /// be read or featurised is skipped with its reason, and the others are still predicted. OpenCV's own
  /// warnings about such files are silenced while they are read: the reason says what is wrong.
  PredictionRun predict(const std::vector<std::string>& images, int top) const;

 private:
  classify::ModelFile file_;
  std::unique_ptr<FeatureChain> chain_;
};

}  // namespace featpipe::pipelines
