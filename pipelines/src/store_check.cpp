#include "featpipe/pipelines/store_check.h"

#include <algorithm>
#include <cmath>

#include "featpipe/classify/checkpoint_io.h"
#include "featpipe/classify/finite_check.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/core/errors.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/vocab/vocabulary.h"

namespace featpipe::pipelines {
namespace {

template <typename T>
void require_finite(const data::StoreReader& store, const std::string& name, const std::vector<T>& values) {
  if constexpr (std::is_same_v<T, float>) {
    if (classify::all_finite(values)) return;  // the fast path; the loop below only names the element
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw InputError(store.path(), name + " holds " +
                                         (std::isnan(values[i]) ? "NaN" : "an infinite value") +
                                         " at element " + std::to_string(i));
    }
  }
}

uint64_t read_dataset(const data::StoreReader& store, const data::DatasetInfo& info) {
  switch (info.dtype) {
    case data::DType::float32: {
      const std::vector<float> v = store.read_floats(info.name);
      require_finite(store, info.name, v);
      return v.size();
    }
    case data::DType::float64: {
      const std::vector<double> v = store.read_doubles(info.name);
      require_finite(store, info.name, v);
      return v.size();
    }
    case data::DType::string:
      return store.read_strings(info.name).size();
    case data::DType::other:
      throw InputError(store.path(), info.name + " has an element type featpipe does not write");
    default:
      return store.read_int64(info.name).size();
  }
}

std::string rows_detail(const data::FeatureStoreReader& f) {
  const auto mirrored = std::count(f.augment().begin(), f.augment().end(), uint8_t{1});
  return std::to_string(f.rows()) + " rows x " + std::to_string(f.dim()) + " values, " +
         std::to_string(f.class_names().size()) + " classes" +
         (f.augmented() ? ", " + std::to_string(mirrored) + " of the rows mirrored (/augment)" : "");
}

}  // namespace

StoreCheck check_datasets_readable_and_finite(const data::StoreReader& store) {
  StoreCheck c;
  c.kind = store.kind();
  for (const data::DatasetInfo& info : store.list()) {
    c.values += read_dataset(store, info);
    ++c.datasets;
  }
  return c;
}

void check_provenance(const data::StoreReader& store) {
  const nlohmann::json p = store.provenance();
  const auto refuse = [&](const std::string& what) {
    throw InputError(store.path(), "its provenance " + what);
  };
  if (!p.is_object() || p.empty()) refuse("is missing or empty");
  const std::string kind = store.kind();
  if (kind == "model") {
    if (!p.contains("train") || !p["train"].is_object() || !p["train"].contains("provenance"))
      refuse("does not record the training store's provenance");
  } else if (kind == "checkpoint") {
    if (!p.contains("run") || !p.contains("state")) refuse("lacks the run or state of the training");
  } else if (!p.contains("command") || !p["command"].is_string()) {
    refuse("does not name the command that made the store");
  }
}

std::string check_kind(const data::StoreReader& store) {
  const std::string kind = store.kind();
  const std::string& path = store.path();
  if (kind == "features" || kind == "descriptors") {
    const data::FeatureStoreReader f(path, kind);
    if (kind == "descriptors" && store.has("/frames") && store.info("/frames").shape.at(0) != f.rows()) {
      throw InputError(path, "/frames has " + std::to_string(store.info("/frames").shape.at(0)) +
                                 " rows but /features has " + std::to_string(f.rows()));
    }
    return rows_detail(f);
  }
  if (kind == "vocab") {
    const vocab::Vocabulary v = vocab::load_vocabulary(path);
    return std::to_string(v.k()) + " " + vocab::to_string(v.method) + " words of " + std::to_string(v.dim()) +
           " values (" + v.descriptor +
           (v.pca.identity() ? "" : ", PCA from " + std::to_string(v.input_dim()) + " dimensions") + ")";
  }
  if (kind == "model") {
    const classify::ModelFile m = classify::load_model(path);
    return "W [" + std::to_string(m.model.dim()) + ", " + std::to_string(m.model.classes()) + "]";
  }
  if (kind == "checkpoint") {
    const classify::CheckpointFile c = classify::load_checkpoint(path);
    return "epoch " + std::to_string(c.state.epochs_done) + ", " + std::to_string(c.state.params.size()) +
           " parameters";
  }
  throw InputError(path, "is of kind '" + kind + "', which featpipe does not write");
}

StoreCheck check_store(const std::string& path) {
  const data::StoreReader store(path);
  check_provenance(store);
  StoreCheck c = check_datasets_readable_and_finite(store);
  c.detail = check_kind(store);
  return c;
}

}  // namespace featpipe::pipelines
