#include "featpipe/classify/model_io.h"

#include <cmath>

#include "featpipe/classify/finite_check.h"
#include "featpipe/core/errors.h"
#include "featpipe/data/class_names.h"
#include "featpipe/data/store.h"
#include "history_io.h"

namespace featpipe::classify {
namespace {

constexpr const char* kModelKind = "model";

}  // namespace

void save_model(const std::string& path, const LinearModel& model, const TrainHistory& history,
                const nlohmann::json& provenance) {
  const uint64_t dim = model.dim(), classes = model.classes();
  data::StoreWriter w(path, kModelKind, provenance);
  w.write("/W", model.W.data(), {dim, classes});
  w.write("/b", model.b.data(), {classes});
  w.write("/preprocess/mean", model.preprocess.mean.data(), {dim});
  w.write("/preprocess/std", model.preprocess.std.data(), {dim});
  write_history_series(w, history);
  w.write_strings("/class_names", model.class_names);
  w.commit();
}

ModelFile load_model(const std::string& path) {
  const data::StoreReader r(path);
  if (r.kind() != kModelKind) {
    throw InputError(path, "is a '" + r.kind() + "' store, not a model; train one with `featpipe train`");
  }
  for (const char* name : {"/W", "/b", "/preprocess/mean", "/preprocess/std", "/class_names"}) {
    if (!r.has(name)) throw InputError(path, std::string("model has no ") + name);
  }
  const data::DatasetInfo w_info = r.info("/W");
  if (w_info.shape.size() != 2) throw InputError(path, "/W is not a matrix");
  const uint64_t dim = w_info.shape[0], classes = w_info.shape[1];

  ModelFile f;
  LinearModel& m = f.model;
  m.W = Eigen::Map<const RowMatrix<float>>(r.read_floats("/W").data(), dim, classes);
  const std::vector<float> b = r.read_floats("/b");
  m.preprocess.mean = r.read_floats("/preprocess/mean");
  m.preprocess.std = r.read_floats("/preprocess/std");
  m.class_names = r.read_strings("/class_names");
  if (b.size() != classes || m.preprocess.mean.size() != dim || m.preprocess.std.size() != dim ||
      m.class_names.size() != classes) {
    throw InputError(path, "model shapes disagree: /W is " + std::to_string(dim) + " x " +
                               std::to_string(classes) +
                               " but /b, /preprocess or /class_names do not match it");
  }
  data::check_class_names(m.class_names, path);
  m.b = Eigen::Map<const RowVector<float>>(b.data(), classes);
  // A model with a NaN or infinite parameter, or a zero scale, scores every row NaN (or infinite), and an
  // argmax over NaN answers the first class: predictions, accuracies and reports would all look valid.
  const auto refuse = [&](const std::string& name, const std::string& what) {
    throw InputError(path, "model's " + name + " holds " + what +
                               "; the file is corrupt or was not written by a finished training");
  };
  if (!all_finite({m.W.data(), static_cast<std::size_t>(m.W.size())})) refuse("/W", "NaN or infinite values");
  if (!all_finite(b)) refuse("/b", "NaN or infinite values");
  if (!all_finite(m.preprocess.mean)) refuse("/preprocess/mean", "NaN or infinite values");
  for (float s : m.preprocess.std) {
    if (!(s > 0) || !std::isfinite(s)) refuse("/preprocess/std", "a scale that is not a positive number");
  }
  read_history_series(r, f.history);
  f.provenance = r.provenance();
  return f;
}

}  // namespace featpipe::classify
