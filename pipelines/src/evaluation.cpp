#include "featpipe/pipelines/evaluation.h"

#include <algorithm>

#include "featpipe/classify/store_source.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/chain_digest.h"
#include "train_options.h"

namespace featpipe::pipelines {

Evaluation evaluate_store(const std::string& model_path, const std::string& data_path, int top) {
  Evaluation e{classify::load_model(model_path), {}, {}, {}};
  const classify::StoreRowSource data(data_path);
  if (data.rows() == 0) {  // an accuracy of 0 rows would read as 0.0000, a finding
    throw InputError(data_path, "holds no rows: there is nothing to evaluate; give a non-empty store");
  }
  check_same_features(
      signature(model_path, e.model.provenance, e.model.model.dim(), e.model.model.class_names),
      signature(data_path, data.reader().provenance(), data.dim(), data.reader().class_names()));
  check_chain_digests(e.model.provenance, model_path);
  check_same_chain(e.model.provenance, model_path, data.reader().provenance(), data_path);
  e.predicted = predict_store(e.model.model, data, data_path);
  e.labels.assign(data.labels().begin(), data.labels().end());
  e.report = classify::classification_report(e.labels, e.predicted, e.model.model.classes());
  if (top > 1) {
    e.top = std::min(top, e.model.model.classes());
    const std::vector<int32_t> best =
        blame(data_path, [&] { return classify::predict_top(e.model.model, data, e.top); });
    e.top_accuracy = classify::top_k_accuracy(e.labels, best, e.top);
  }
  return e;
}

ImageClassifier::ImageClassifier(const std::string& model_path) : file_(classify::load_model(model_path)) {
  check_chain_digests(file_.provenance, model_path);
  const nlohmann::json train = file_.provenance.value("train", nlohmann::json::object());
  chain_ = make_feature_chain(train.value("provenance", nlohmann::json::object()), model_path);
  if (chain_->dim() != file_.model.dim()) {
    throw InputError(model_path, "its feature chain gives " + std::to_string(chain_->dim()) +
                                     " values but the model expects " + std::to_string(file_.model.dim()));
  }
}

RowMatrix<float> ImageClassifier::scores(const std::vector<std::string>& images) const {
  RowMatrix<float> rows(static_cast<Eigen::Index>(images.size()),
                        static_cast<Eigen::Index>(file_.model.dim()));
  for (std::size_t i = 0; i < images.size(); ++i)
    chain_->featurize_file(images[i], rows.row(Eigen::Index(i)).data());
  return classify::predict_scores(file_.model, rows);
}

}  // namespace featpipe::pipelines
