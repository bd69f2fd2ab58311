#include "classifier_params.h"

#include <concepts>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <type_traits>

#include "featpipe/core/errors.h"

namespace featpipe::python {
namespace {

namespace py = pybind11;

/// A hyperparameter whose Python value is a name: loss, reg, optimizer, schedule.
template <typename Kind>
struct NamedKind {
  Kind& kind;
  Kind (*parse)(const std::string&);
};

/// visit(keyword, field) for every keyword, in the order of the train command's options.
template <typename Visit>
void for_each_keyword(classify::TrainParams& p, Visit&& visit) {
  visit("loss", NamedKind<classify::LossKind>{p.loss.kind, classify::parse_loss});
  visit("delta", p.loss.delta);
  visit("reg", NamedKind<classify::RegKind>{p.reg.kind, classify::parse_reg});
  visit("lam", p.reg.lambda);
  visit("l1_ratio", p.reg.l1_ratio);
  visit("optimizer", NamedKind<classify::OptimizerKind>{p.optimizer.kind, classify::parse_optimizer});
  visit("momentum", p.optimizer.momentum);
  visit("decay", p.optimizer.decay);
  visit("beta1", p.optimizer.beta1);
  visit("beta2", p.optimizer.beta2);
  visit("eps", p.optimizer.eps);
  visit("average_start", p.optimizer.average_start);
  visit("lr", p.lr);
  visit("schedule", NamedKind<classify::ScheduleKind>{p.schedule.kind, classify::parse_schedule});
  visit("step_epochs", p.schedule.step_epochs);
  visit("gamma", p.schedule.gamma);
  visit("min_lr", p.schedule.min_lr);
  visit("epochs", p.epochs);
  visit("iterations", p.iterations);
  visit("batch", p.batch);
  visit("with_replacement", p.with_replacement);
  visit("dropout", p.dropout);
  visit("early_stop", p.early_stop);
  visit("init_scale", p.init_scale);
  visit("standardize", p.standardize);
  visit("max_memory", p.max_memory);
  visit("byte_rows", p.byte_rows);
  visit("seed", p.seed);
}

[[noreturn]] void wrong_type(const char* keyword, const py::handle& value, const std::string& wanted) {
  throw InputError(keyword, std::string("is a ") + Py_TYPE(value.ptr())->tp_name + " (" +
                                py::repr(value).cast<std::string>() + "); give " + wanted);
}

template <typename Kind>
void assign(const char* keyword, const py::handle& value, NamedKind<Kind> field) {
  if (!py::isinstance<py::str>(value)) wrong_type(keyword, value, "a name");
  try {
    field.kind = field.parse(value.cast<std::string>());
  } catch (const std::invalid_argument& e) {
    throw InputError(keyword, e.what());
  }
}

bool is_numpy_bool(const py::handle& value) {
  return py::isinstance(value, py::module_::import("numpy").attr("bool_"));
}

void assign(const char* keyword, const py::handle& value, bool& field) {
  // Not Python's truthiness: a string or a number here is a mistake, not a wish for true.
  if (!PyBool_Check(value.ptr()) && !is_numpy_bool(value)) wrong_type(keyword, value, "True or False");
  field = PyObject_IsTrue(value.ptr()) == 1;
}

void assign(const char* keyword, const py::handle& value, double& field) {
  const bool number = PyFloat_Check(value.ptr()) || PyIndex_Check(value.ptr()) ||
                      PyObject_HasAttrString(value.ptr(), "__float__");
  if (!number || PyBool_Check(value.ptr()) || PyUnicode_Check(value.ptr()))
    wrong_type(keyword, value, "a number");
  field = value.cast<double>();
}

template <std::integral Int>
void assign(const char* keyword, const py::handle& value, Int& field) {
  if (!PyIndex_Check(value.ptr()) || PyBool_Check(value.ptr())) wrong_type(keyword, value, "an integer");
  PyObject* index = PyNumber_Index(value.ptr());
  if (index == nullptr) throw py::error_already_set();
  const auto number = py::reinterpret_steal<py::int_>(index);
  try {
    field = number.cast<Int>();
  } catch (const py::cast_error&) {
    throw InputError(keyword, py::repr(value).cast<std::string>() + " is out of range (" +
                                  (std::is_signed_v<Int> ? "" : "at least 0, ") + "at most " +
                                  std::to_string(std::numeric_limits<Int>::max()) + ")");
  }
}

template <typename Kind>
py::object to_python(NamedKind<Kind> field) {
  return py::str(classify::to_string(field.kind));
}

template <typename T>
py::object to_python(const T& field) {
  return py::cast(field);
}

/// validate() messages start with the field's name: ValueError naming its keyword.
void check(const std::optional<std::string>& problem) {
  if (!problem) return;
  const std::size_t space = problem->find(' ');
  const std::string field = problem->substr(0, space);
  throw InputError(field == "lambda" ? "lam" : field, problem->substr(space + 1));
}

}  // namespace

classify::TrainParams train_params(const py::dict& params) {
  classify::TrainParams p;
  std::set<std::string> keywords;
  for_each_keyword(p, [&](const char* keyword, auto&& field) {
    keywords.insert(keyword);
    if (params.contains(keyword)) assign(keyword, params[keyword], field);
  });
  for (const auto& item : params) {
    const std::string key = py::str(item.first);
    if (!keywords.count(key)) throw InputError(key, "is not a hyperparameter of LinearClassifier");
  }
  check(classify::validate(p.loss));
  check(classify::validate(p.reg));
  check(classify::validate(p.optimizer));
  check(classify::validate(p.schedule));
  check(classify::validate(p));
  return p;
}

py::dict params_dict(const classify::TrainParams& p) {
  classify::TrainParams copy = p;
  py::dict params;
  for_each_keyword(copy, [&](const char* keyword, auto&& field) { params[keyword] = to_python(field); });
  return params;
}

}  // namespace featpipe::python
