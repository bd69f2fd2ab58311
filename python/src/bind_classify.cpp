// featpipe._featpipe's side of featpipe.LinearClassifier (python/featpipe/classifier.py): the train stage's
// classify::train on rows in memory, the model's scores and classes as the eval and predict commands compute
// them, and model stores as the train command writes them. The Python class keeps the model as arrays;
// labels here are class indices 0..K-1 (the Python class maps its classes_ onto them).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "arrays.h"
#include "bindings.h"
#include "call.h"
#include "classifier_params.h"
#include "featpipe/classify/linear_model.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/core/errors.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/pipelines/model_provenance.h"
#include "model_arrays.h"

namespace featpipe::python {
namespace {

/// Rows scored per call of predict_scores: a multiple of the row blocks of classify::predict, so that a
/// row's scores are those predict takes the argmax of, to the bit.
constexpr uint64_t kScoreBlockRows = 8192;

/// Class indices int32 [rows], read in place.
py::array_t<int32_t> class_indices(const py::handle& object, const std::string& name, py::ssize_t rows) {
  const bool int32_array =
      py::isinstance<py::array>(object) &&
      py::reinterpret_borrow<py::array>(object).dtype().num() == py::dtype::of<int32_t>().num();
  if (!int32_array) throw InputError(name, "must be a numpy int32 array of class indices");
  const auto labels = py::reinterpret_borrow<py::array_t<int32_t>>(object);
  if (labels.ndim() != 1 || !(labels.flags() & py::array::c_style)) {
    throw InputError(name, "must be a contiguous vector of class indices");
  }
  if (labels.shape(0) != rows) {
    throw InputError(
        name, "has " + std::to_string(labels.shape(0)) + " labels for " + std::to_string(rows) + " rows");
  }
  return labels;
}

/// Rows and their class indices, held for the call.
struct LabelledArrays {
  py::array_t<float> features;
  py::array_t<int32_t> labels;
  classify::MatrixSource source;
  classify::LabelledRows rows;

  LabelledArrays(const py::handle& X, const py::handle& y, const std::string& x_name,
                 const std::string& y_name)
      : features(float_matrix(X, x_name)),
        labels(class_indices(y, y_name, features.shape(0))),
        source(features.data(), features.shape(0), features.shape(1)),
        rows{&source, {labels.data(), static_cast<std::size_t>(labels.shape(0))}, x_name} {}
  LabelledArrays(const LabelledArrays&) = delete;  // rows points into source
  LabelledArrays& operator=(const LabelledArrays&) = delete;
};

py::dict train(const py::handle& X, const py::handle& y, int classes, const py::object& X_val,
               const py::object& y_val, const py::dict& params, const py::object& threads) {
  const classify::TrainParams p = train_params(params);
  const LabelledArrays train_set(X, y, "X", "y");
  if (X_val.is_none() != y_val.is_none()) {
    throw InputError(X_val.is_none() ? "y_val" : "X_val",
                     "needs its partner: give both X_val and y_val, or neither");
  }
  std::optional<LabelledArrays> val_set;
  if (!X_val.is_none()) {
    val_set.emplace(X_val, y_val, "X_val", "y_val");
    if (val_set->source.dim() != train_set.source.dim()) {
      throw InputError("X_val", "has " + std::to_string(val_set->source.dim()) + " columns but X has " +
                                    std::to_string(train_set.source.dim()));
    }
  }
  const ThreadCount thread_count(threads);
  const classify::TrainResult result = run_stage([&](StageObserver& observer) {
    classify::TrainObserver hooks;
    hooks.progress = [&observer](uint64_t) { observer.checkpoint(); };  // Ctrl-C stops at the next update
    return classify::train(p, train_set.rows, val_set ? &val_set->rows : nullptr, classes, hooks);
  });
  py::dict out = model_dict(result.model);
  out["history"] = history_dict(result.history);
  return out;
}

py::array_t<float> scores(const py::handle& X, const py::handle& W, const py::handle& b,
                          const py::handle& mean, const py::handle& std, const py::object& threads) {
  const classify::LinearModel model = linear_model(W, b, mean, std);
  const py::array_t<float> rows = float_matrix(X, "X");
  const uint64_t n = rows.shape(0), dim = rows.shape(1), classes = model.classes();
  if (dim != model.dim()) {
    throw InputError("X", "has " + std::to_string(dim) + " features per row; the model was fitted on " +
                              std::to_string(model.dim()));
  }
  py::array_t<float> out = new_floats({py::ssize_t(n), py::ssize_t(classes)});
  const float* in = rows.data();
  float* scores_out = out.mutable_data();
  const ThreadCount thread_count(threads);
  run_stage([&](StageObserver& observer) {
    for (uint64_t begin = 0; begin < n; begin += kScoreBlockRows) {
      observer.checkpoint();
      const uint64_t count = std::min(kScoreBlockRows, n - begin);
      const RowMatrix<float> block =
          classify::predict_scores(model, rows_view(in + begin * dim, count, dim), begin);
      std::copy_n(block.data(), block.size(), scores_out + begin * classes);
    }
    return 0;
  });
  return out;
}

py::array_t<int32_t> predict(const py::handle& X, const py::handle& W, const py::handle& b,
                             const py::handle& mean, const py::handle& std, const py::object& threads) {
  const classify::LinearModel model = linear_model(W, b, mean, std);
  const py::array_t<float> rows = float_matrix(X, "X");
  const classify::MatrixSource source(rows.data(), rows.shape(0), rows.shape(1));
  if (source.dim() != model.dim()) {
    throw InputError("X", "has " + std::to_string(source.dim()) +
                              " features per row; the model was fitted on " + std::to_string(model.dim()));
  }
  const ThreadCount thread_count(threads);
  std::vector<int32_t> classes =
      run_stage([&](StageObserver&) { return classify::predict(model, source, kScoreBlockRows); });
  return py::array_t<int32_t>(py::ssize_t(classes.size()), classes.data());
}

void save_model(const std::string& path, const py::handle& W, const py::handle& b, const py::handle& mean,
                const py::handle& std, const py::object& class_names, const py::dict& history,
                const py::dict& params, const py::object& store, const std::string& python_json) {
  classify::LinearModel model = linear_model(W, b, mean, std);
  const classify::TrainParams p = train_params(params);
  const classify::TrainHistory h = train_history(history);
  std::string store_path;
  nlohmann::json store_provenance;
  if (!store.is_none()) {
    store_path = store.cast<std::string>();
    const data::FeatureStoreReader reader(store_path);
    if (reader.dim() != model.dim()) {
      throw InputError(store_path, "has " + std::to_string(reader.dim()) +
                                       " features per row but the model " + std::to_string(model.dim()) +
                                       "; give the store the model was fitted on");
    }
    if (reader.class_names().size() != static_cast<std::size_t>(model.classes())) {
      throw InputError(store_path, "has " + std::to_string(reader.class_names().size()) +
                                       " classes but the model " + std::to_string(model.classes()));
    }
    model.class_names = reader.class_names();
    store_provenance = reader.provenance();
  }
  if (!class_names.is_none()) {
    const auto names = class_names.cast<std::vector<std::string>>();
    if (!store.is_none() && names != model.class_names) {
      throw InputError("class_names",
                       "differ from those of " + store_path + "; leave them out to take the store's");
    }
    if (names.size() != static_cast<std::size_t>(model.classes())) {
      throw InputError("class_names", "has " + std::to_string(names.size()) + " names for " +
                                          std::to_string(model.classes()) + " classes");
    }
    model.class_names = names;
  }
  nlohmann::json provenance =
      pipelines::model_provenance("python", store_path, store_provenance, "", {}, p, h);
  // TrainParams fields no option of the command sets, so params_json leaves them out
  provenance["params"]["standardize"] = p.standardize;
  provenance["params"]["byte_rows"] = p.byte_rows;
  provenance["python"] = nlohmann::json::parse(python_json);
  classify::save_model(path, model, h, provenance);
}

py::dict load_model(const std::string& path) {
  const classify::ModelFile file = classify::load_model(path);
  py::dict out = model_dict(file.model);
  out["class_names"] = file.model.class_names;
  // The series are in the store; the rest of the history is in the provenance's result.
  classify::TrainHistory history = file.history;
  const nlohmann::json result = file.provenance.value("result", nlohmann::json::object());
  history.initial_loss = result.value("initial_loss", std::nan(""));
  history.expected_initial_loss = result.value("expected_initial_loss", std::nan(""));
  history.best_epoch = result.value("best_epoch", static_cast<int>(history.lr.size()));
  history.stopped_early = result.value("stopped_early", false);
  out["history"] = history_dict(history);
  out["provenance"] = file.provenance.dump();
  return out;
}

}  // namespace

void bind_classify(py::module_& m) {
  m.def("train_classifier", &train, py::arg("X"), py::arg("y"), py::arg("classes"), py::arg("X_val"),
        py::arg("y_val"), py::arg("params"), py::arg("threads"),
        R"doc(classify::train on float32 rows X [N, D] (C-contiguous, read in place) and int32 class indices y
in 0..classes-1, with validation rows X_val / y_val or None, as `featpipe train` trains on a store. params:
LinearClassifier's keywords. Returns {"W" [D, C], "b", "mean", "std", "history"}. Used by LinearClassifier.fit.)doc");
  m.def("classifier_scores", &scores, py::arg("X"), py::arg("W"), py::arg("b"), py::arg("mean"),
        py::arg("std"), py::arg("threads"),
        "Scores float32 [N, C] = ((X - mean) / std) W + b, as `featpipe predict` scores. Used by "
        "LinearClassifier.decision_function.");
  m.def("classifier_predict", &predict, py::arg("X"), py::arg("W"), py::arg("b"), py::arg("mean"),
        py::arg("std"), py::arg("threads"),
        "The class index (int32 [N]) of the best score of every row, as `featpipe eval` predicts. Used by "
        "LinearClassifier.predict.");
  m.def("save_classifier", &save_model, py::arg("path"), py::arg("W"), py::arg("b"), py::arg("mean"),
        py::arg("std"), py::arg("class_names"), py::arg("history"), py::arg("params"), py::arg("store"),
        py::arg("python_json"),
        "Writes a model store as `featpipe train --out` does. Used by LinearClassifier.save.");
  m.def("load_classifier", &load_model, py::arg("path"),
        "Reads a model store: {W, b, mean, std, class_names, history, provenance (JSON text)}. Used by "
        "LinearClassifier.load.");
  m.def(
      "train_defaults", [] { return params_dict(classify::TrainParams{}); },
      "The defaults of `featpipe train`'s hyperparameters under LinearClassifier's keywords.");
}

}  // namespace featpipe::python
