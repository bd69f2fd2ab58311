#include "featpipe/classify/metrics.h"

#include <stdexcept>
#include <string>

namespace featpipe::classify {

double accuracy(Labels truth, Labels predicted) {
  if (truth.size() != predicted.size()) throw std::invalid_argument("accuracy: label counts differ");
  if (truth.empty()) return 0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) equal += truth[i] == predicted[i];
  return static_cast<double>(equal) / static_cast<double>(truth.size());
}

ClassificationReport classification_report(Labels truth, Labels predicted, int classes) {
  if (truth.size() != predicted.size()) {
    throw std::invalid_argument("metrics: " + std::to_string(truth.size()) + " true labels but " +
                                std::to_string(predicted.size()) + " predictions");
  }
  ClassificationReport r;
  r.confusion.assign(classes, std::vector<int64_t>(classes, 0));
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] < 0 || truth[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
      throw std::invalid_argument("metrics: label out of range [0, " + std::to_string(classes) + ") at row " +
                                  std::to_string(i));
    }
    ++r.confusion[truth[i]][predicted[i]];
  }
  r.accuracy = accuracy(truth, predicted);
  r.precision.assign(classes, 0);
  r.recall.assign(classes, 0);
  r.f1.assign(classes, 0);
  r.support.assign(classes, 0);
  for (int c = 0; c < classes; ++c) {
    int64_t predicted_c = 0;
    for (int t = 0; t < classes; ++t) {
      predicted_c += r.confusion[t][c];
      r.support[c] += r.confusion[c][t];
    }
    const double hits = static_cast<double>(r.confusion[c][c]);
    if (predicted_c > 0) r.precision[c] = hits / static_cast<double>(predicted_c);
    if (r.support[c] > 0) r.recall[c] = hits / static_cast<double>(r.support[c]);
    const double sum = r.precision[c] + r.recall[c];
    if (sum > 0) r.f1[c] = 2 * r.precision[c] * r.recall[c] / sum;
  }
  return r;
}

}  // namespace featpipe::classify
