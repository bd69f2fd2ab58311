#include "featpipe/pipelines/evaluation.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <opencv2/core/utils/logger.hpp>

#include "featpipe/classify/store_source.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/chain_digest.h"
#include "fused_stores.h"
#include "train_options.h"

namespace featpipe::pipelines {

namespace {

/// InputError naming the stores unless they hold the features of the model's training stores, each at its
/// place, and were made through the same chain inputs (chain_digest.h).
void check_model_stores(const classify::ModelFile& m, const std::string& model_path, const FusedStores& data,
                        const std::string& option) {
  const std::vector<TrainingStore> trained = training_stores(m.provenance);
  if (data.size() == 1 && trained.size() <= 1) {  // a model of one store, or of rows from no store
    check_same_features(signature(model_path, m.provenance, m.model.dim(), m.model.class_names),
                        data.signature(0));
  } else if (trained.size() != data.size()) {
    throw InputError(option, "gives " + std::to_string(data.size()) + " store(s) but " + model_path +
                                 " was trained on " + std::to_string(trained.size()) +
                                 " store(s) side by side; give one for each, in the order of its training "
                                 "stores");
  } else {
    for (std::size_t i = 0; i < data.size(); ++i) {
      const TrainingStore& t = trained[i];
      check_same_features(signature(model_path + " (its training store " + t.path + ")", t.provenance, t.dim,
                                    m.model.class_names),
                          data.signature(i));
    }
  }
  check_chain_digests(m.provenance, model_path);
  for (std::size_t i = 0; i < trained.size() && i < data.size(); ++i)
    check_same_chain(trained[i], model_path, data.store(i).reader().provenance(), data.path(i));
}

}  // namespace

Evaluation evaluate_store(const std::string& model_path, const std::vector<std::string>& data_paths, int top,
                          const std::string& option) {
  Evaluation e{classify::load_model(model_path), {}, {}, {}};
  const FusedStores data(data_paths, option);
  if (data.first().rows() == 0) {  // an accuracy of 0 rows would read as 0.0000, a finding
    throw InputError(data.name(), "holds no rows: there is nothing to evaluate; give a non-empty store");
  }
  check_model_stores(e.model, model_path, data, option);
  e.predicted = predict_store(e.model.model, data.rows(), data.name());
  e.labels.assign(data.first().labels().begin(), data.first().labels().end());
  e.report = classify::classification_report(e.labels, e.predicted, e.model.model.classes());
  if (top > 1) {
    e.top = std::min(top, e.model.model.classes());
    const std::vector<int32_t> best =
        blame(data.name(), [&] { return classify::predict_top(e.model.model, data.rows(), e.top); });
    e.top_accuracy = classify::top_k_accuracy(e.labels, best, e.top);
  }
  return e;
}

ImageClassifier::ImageClassifier(const std::string& model_path) : file_(classify::load_model(model_path)) {
  check_chain_digests(file_.provenance, model_path);
  std::vector<std::unique_ptr<FeatureChain>> chains;
  for (const TrainingStore& store : training_stores(file_.provenance))
    chains.push_back(make_feature_chain(store.provenance, model_path));
  if (chains.empty()) chains.push_back(make_feature_chain(nlohmann::json::object(), model_path));
  chain_ = join_feature_chains(std::move(chains));
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

namespace {

/// The image decoders kept from writing to stderr for the life of the guard, which the caller holds while
/// it alone works: OpenCV warns about every file it cannot decode (its log level is lowered to errors),
/// and libpng and libjpeg print their own complaints straight to the stream (it is pointed at /dev/null).
/// The command's own message says what is wrong with such a file.
class QuietDecoders {
 public:
  QuietDecoders() : saved_level_(cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR)) {
    std::fflush(stderr);
    saved_stderr_ = ::dup(STDERR_FILENO);
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved_stderr_ >= 0 && null >= 0) ::dup2(null, STDERR_FILENO);
    if (null >= 0) ::close(null);
  }
  ~QuietDecoders() {
    std::fflush(stderr);
    if (saved_stderr_ >= 0) {
      ::dup2(saved_stderr_, STDERR_FILENO);
      ::close(saved_stderr_);
    }
    cv::utils::logging::setLogLevel(saved_level_);
  }
  QuietDecoders(const QuietDecoders&) = delete;
  QuietDecoders& operator=(const QuietDecoders&) = delete;

 private:
  cv::utils::logging::LogLevel saved_level_;
  int saved_stderr_ = -1;
};

/// An error's text without the leading "path: " that names the file it is about.
std::string reason_for(const std::string& path, const std::string& what) {
  return what.rfind(path + ": ", 0) == 0 ? what.substr(path.size() + 2) : what;
}

}  // namespace

PredictionRun ImageClassifier::predict(const std::vector<std::string>& images, int top) const {
  PredictionRun run;
  run.probabilities = scores_are_probabilities(file_.provenance);
  run.class_names = file_.model.class_names;
  std::vector<std::string> read;
  std::vector<float> rows;
  std::vector<float> row(file_.model.dim());
  {
    const QuietDecoders quiet;
    for (const std::string& path : images) {
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        run.skipped.push_back({path, ec ? ec.message() : "no such file"});
        continue;
      }
      try {
        chain_->featurize_file(path, row.data());
      } catch (const InputError& e) {
        run.skipped.push_back({path, reason_for(path, e.what())});
        continue;
      } catch (const std::invalid_argument& e) {  // an extractor's complaint, e.g. an image too small
        run.skipped.push_back({path, reason_for(path, e.what())});
        continue;
      }
      read.push_back(path);
      rows.insert(rows.end(), row.begin(), row.end());
    }
  }
  if (read.empty()) return run;
  const RowMatrix<float> scores = classify::predict_scores(
      file_.model, Eigen::Map<const RowMatrix<float>>(rows.data(), Eigen::Index(read.size()),
                                                      Eigen::Index(file_.model.dim())));
  run.images = rank_classes(read, scores, top, run.probabilities);
  return run;
}

}  // namespace featpipe::pipelines
