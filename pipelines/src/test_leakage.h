#pragma once
// A test store must not show images the model was trained on: its accuracy would measure memory, not
// generalisation. Told through the stores' provenance and /index (store_overlap.h).
#include <nlohmann/json.hpp>
#include <string>

#include "featpipe/data/feature_store.h"

namespace featpipe::pipelines {

/// The training store of a model as its provenance records it (the path as given to train or sweep, tried as
/// it is, then beside the model), or empty when it is not there any more.
std::string find_training_store(const nlohmann::json& model_provenance, const std::string& model_path);

/// InputError naming test_path when it shares images with the training store of the model at model_path.
/// The training store's /index is read when the store is still there; otherwise the split options recorded
/// in both provenances decide (the same split of the same source set: the same images). Returns a warning
/// (or "") when the overlap cannot be told: the training store is gone and the splits differ.
std::string refuse_test_leakage(const std::string& model_path, const nlohmann::json& model_provenance,
                                const std::string& test_path, const data::FeatureStoreReader& test);

}  // namespace featpipe::pipelines
