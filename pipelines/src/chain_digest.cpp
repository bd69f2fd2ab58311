#include "featpipe/pipelines/chain_digest.h"

#include <filesystem>

#include "featpipe/core/errors.h"
#include "featpipe/data/store_digest.h"
#include "featpipe/pipelines/feature_chain.h"

namespace featpipe::pipelines {
namespace {

/// The digest a model's chain records for role, or "".
std::string recorded_digest(const nlohmann::json& chain, const std::string& role) {
  if (!chain.is_array()) return "";
  for (const nlohmann::json& entry : chain) {
    if (entry.is_object() && entry.value("role", "") == role) return entry.value("digest", "");
  }
  return "";
}

}  // namespace

nlohmann::json record_chain_digests(const nlohmann::json& train_store_provenance) {
  nlohmann::json chain = nlohmann::json::array();
  for (const ChainInput& input : chain_inputs(train_store_provenance)) {
    std::string digest = input.recorded_digest;
    if (digest.empty() && std::filesystem::exists(input.path)) digest = data::content_digest(input.path);
    if (digest.empty()) continue;
    chain.push_back(
        {{"role", input.role}, {"path", std::filesystem::absolute(input.path).string()}, {"digest", digest}});
  }
  return chain;
}

void check_chain_digests(const nlohmann::json& model_provenance, const std::string& model_path) {
  for (const TrainingStore& store : training_stores(model_provenance)) check_chain_digests(store, model_path);
}

void check_chain_digests(const TrainingStore& store, const std::string& model_path) {
  for (const ChainInput& input : chain_inputs(store.provenance)) {
    const std::string then = recorded_digest(store.chain, input.role);
    if (then.empty() || !std::filesystem::exists(input.path)) continue;
    const std::string now = data::content_digest(input.path);
    if (now == then) continue;
    throw InputError(input.path, "has changed since the model " + model_path + " was trained through this " +
                                     input.role + " (content digest " + then + " then, " + now +
                                     " now), so the model would score other features than it learned from; "
                                     "restore the " +
                                     input.role +
                                     " it was trained with, or encode and train again with this one");
  }
}

void check_same_chain(const TrainingStore& trained, const std::string& model_path,
                      const nlohmann::json& store_provenance, const std::string& store_path) {
  for (const ChainInput& input : chain_inputs(store_provenance)) {
    const std::string model_digest = recorded_digest(trained.chain, input.role);
    if (input.recorded_digest.empty() || model_digest.empty() || input.recorded_digest == model_digest)
      continue;
    throw InputError(store_path, "was encoded with another " + input.role + " (content digest " +
                                     input.recorded_digest + ") than the model " + model_path +
                                     " was trained through (" + model_digest +
                                     "); encode it with the model's " + input.role);
  }
}

}  // namespace featpipe::pipelines
