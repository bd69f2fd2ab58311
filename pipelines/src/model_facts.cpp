#include "model_facts.h"

#include <filesystem>

#include "featpipe/data/feature_store.h"
#include "test_leakage.h"

namespace featpipe::pipelines {
namespace {

/// The rows of a model's training or validation store: as recorded, else from the store when it is there.
nlohmann::json store_rows(const nlohmann::json& provenance, const char* role, const std::string& model_path) {
  const nlohmann::json recorded = provenance_value(provenance, {role, "rows"});
  if (recorded.is_number()) return recorded;
  std::string path = provenance_value(provenance, {role, "path"}).is_string()
                         ? provenance[role]["path"].get<std::string>()
                         : "";
  if (std::string(role) == "train") path = find_training_store(provenance, model_path);
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec)) return nullptr;
  try {
    return data::FeatureStoreReader(path).rows();
  } catch (const std::exception&) {
    return nullptr;  // replaced by something else: the size is unknown, not an error of compare
  }
}

}  // namespace

nlohmann::json provenance_value(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* node = &j;
  for (const char* key : path) {
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
  }
  return *node;
}

nlohmann::json model_facts(const nlohmann::json& p, const std::string& model_path) {
  const nlohmann::json features = provenance_value(p, {"train", "provenance"});
  const nlohmann::json vocab = provenance_value(features, {"vocab", "provenance"});
  nlohmann::json times = nlohmann::json::object();
  const auto time = [&](const char* stage, const nlohmann::json& seconds) {
    if (seconds.is_number()) times[stage] = seconds;
  };
  const std::string command = features.is_object() ? features.value("command", "") : "";
  time("descriptors", provenance_value(vocab, {"descriptors", "seconds"}));
  time("vocab", provenance_value(vocab, {"seconds"}));
  time(command == "encode" ? "encode" : "extract", provenance_value(features, {"seconds"}));
  time("train", provenance_value(p, {"result", "seconds"}));

  nlohmann::json warnings = nlohmann::json::array();
  if (p.contains("warnings") && p["warnings"].is_array()) {
    for (const nlohmann::json& w : p["warnings"])
      if (w.is_string()) warnings.push_back(w);
  }
  return {{"times", times},
          {"vocab_k", provenance_value(vocab, {"k"})},
          {"train_rows", store_rows(p, "train", model_path)},
          {"val_rows", store_rows(p, "val", model_path)},
          {"warnings", warnings}};
}

}  // namespace featpipe::pipelines
