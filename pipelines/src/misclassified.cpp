#include "featpipe/pipelines/misclassified.h"

#include <cstdio>
#include <memory>

#include "featpipe/data/dataset.h"
#include "featpipe/pipelines/prediction.h"
#include "featpipe/pipelines/store_overlap.h"
#include "fused_stores.h"

namespace featpipe::pipelines {
namespace {

/// Names the images of a store's rows from its provenance, opening its dataset once when it can.
class RowImageNames {
 public:
  explicit RowImageNames(const nlohmann::json& provenance) {
    if (row_origin(provenance).empty()) return;  // the provenance does not say which images the rows show
    spec_ = provenance.value("dataset", "");
    source_ = provenance.value("split", "") == "test" ? data::Source::test : data::Source::train;
    try {
      dataset_ = data::open_dataset(spec_);
    } catch (const std::exception&) {  // moved or deleted since: the spec and index still say which image
      dataset_.reset();
    }
  }

  std::string name(int64_t index) const {
    if (dataset_) return dataset_->image_name(source_, static_cast<std::size_t>(index));
    if (spec_.empty()) return "image " + std::to_string(index);
    return spec_ + (source_ == data::Source::test ? " test" : " train") + " image " + std::to_string(index);
  }

 private:
  std::string spec_;
  data::Source source_ = data::Source::train;
  std::unique_ptr<data::Dataset> dataset_;
};

}  // namespace

Misclassified misclassified_rows(const Evaluation& e, const std::vector<std::string>& data_paths) {
  const classify::LinearModel& model = e.model.model;
  Misclassified m;
  m.probabilities = scores_are_probabilities(e.model.provenance);
  const FusedStores data(data_paths, "--store");
  const RowImageNames names(data.first().reader().provenance());
  const std::vector<int64_t>& index = data.first().reader().index();
  std::vector<float> features(model.dim());
  for (std::size_t r = 0; r < e.labels.size(); ++r) {
    if (e.labels[r] == e.predicted[r]) continue;
    data.rows().read_rows(r, 1, features.data());
    const RowMatrix<float> scores = classify::predict_scores(
        model, Eigen::Map<const RowMatrix<float>>(features.data(), 1, Eigen::Index(model.dim())), r);
    std::vector<double> values(scores.data(), scores.data() + scores.size());
    if (m.probabilities) values = softmax(values);
    // A mirrored row of an augmented store shows its source image, flipped.
    const std::string image = names.name(r < index.size() ? index[r] : static_cast<int64_t>(r)) +
                              (data.first().reader().augment()[r] ? " (mirrored)" : "");
    m.rows.push_back(
        {r, image, e.labels[r], e.predicted[r], values[static_cast<std::size_t>(e.predicted[r])]});
  }
  return m;
}

std::string misclassified_tsv(const Misclassified& m, const std::vector<std::string>& class_names) {
  std::string out =
      std::string("row\timage\ttrue\tpredicted\t") + (m.probabilities ? "probability" : "score") + "\n";
  for (const MisclassifiedRow& r : m.rows) {
    char value[32];
    std::snprintf(value, sizeof value, "%.6g", r.value);
    out += std::to_string(r.row) + "\t" + r.image + "\t" + class_names[r.truth] + "\t" +
           class_names[r.predicted] + "\t" + value + "\n";
  }
  return out;
}

}  // namespace featpipe::pipelines
