#include "model_arrays.h"

#include <pybind11/numpy.h>

#include <string>
#include <vector>

#include "arrays.h"
#include "featpipe/core/errors.h"

namespace featpipe::python {
namespace {

namespace py = pybind11;

std::vector<float> float_vector(const py::handle& object, const std::string& name, py::ssize_t size) {
  const auto a = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(object);
  if (!a || a.ndim() != 1 || a.shape(0) != size) {
    throw InputError(name, "must be a vector of " + std::to_string(size) + " numbers");
  }
  return {a.data(), a.data() + size};
}

py::array_t<float> to_floats(const std::vector<float>& values) {
  return py::array_t<float>(py::ssize_t(values.size()), values.data());
}

std::vector<float> from_floats(const py::dict& history, const char* name) {
  const auto a = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(history[name]);
  if (!a || a.ndim() != 1) throw InputError(std::string("history_['") + name + "']", "must be a vector");
  return {a.data(), a.data() + a.size()};
}

}  // namespace

classify::LinearModel linear_model(const py::handle& W, const py::handle& b, const py::handle& mean,
                                   const py::handle& std) {
  const py::array_t<float> weights = float_matrix(W, "W");
  const py::ssize_t dim = weights.shape(0), classes = weights.shape(1);
  classify::LinearModel model;
  model.W = Eigen::Map<const RowMatrix<float>>(weights.data(), dim, classes);
  const std::vector<float> bias = float_vector(b, "b", classes);
  model.b = Eigen::Map<const RowVector<float>>(bias.data(), classes);
  model.preprocess.mean = float_vector(mean, "mean", dim);
  model.preprocess.std = float_vector(std, "std", dim);
  return model;
}

py::dict model_dict(const classify::LinearModel& model) {
  py::dict arrays;
  arrays["W"] =
      py::array_t<float>({py::ssize_t(model.W.rows()), py::ssize_t(model.W.cols())}, model.W.data());
  arrays["b"] = py::array_t<float>(py::ssize_t(model.b.size()), model.b.data());
  arrays["mean"] = to_floats(model.preprocess.mean);
  arrays["std"] = to_floats(model.preprocess.std);
  return arrays;
}

py::dict history_dict(const classify::TrainHistory& h) {
  py::dict history;
  history["loss"] = to_floats(h.loss);
  history["train_acc"] = to_floats(h.train_acc);
  history["val_acc"] = to_floats(h.val_acc);
  history["lr"] = to_floats(h.lr);
  history["initial_loss"] = h.initial_loss;
  history["expected_initial_loss"] = h.expected_initial_loss;
  history["best_epoch"] = h.best_epoch;
  history["stopped_early"] = h.stopped_early;
  return history;
}

classify::TrainHistory train_history(const py::dict& history) {
  classify::TrainHistory h;
  h.loss = from_floats(history, "loss");
  h.train_acc = from_floats(history, "train_acc");
  h.val_acc = from_floats(history, "val_acc");
  h.lr = from_floats(history, "lr");
  h.initial_loss = history["initial_loss"].cast<double>();
  h.expected_initial_loss = history["expected_initial_loss"].cast<double>();
  h.best_epoch = history["best_epoch"].cast<int>();
  h.stopped_early = history["stopped_early"].cast<bool>();
  return h;
}

}  // namespace featpipe::python
