#pragma once
// What a model store records about how it was trained (DESIGN.md, "HDF5 stores"): every hyperparameter, the
// training store's provenance, and the result. Shared by the train and sweep stages and by the Python
// module's LinearClassifier.save, so that a model from any front end is checked alike by eval and predict.
#include <nlohmann/json.hpp>
#include <string>

#include "featpipe/classify/trainer.h"

namespace featpipe::pipelines {

/// Every hyperparameter, under the names of the train command's options ('_' for '-').
nlohmann::json params_json(const classify::TrainParams& p);

/// A model's provenance: the training store's dataset, feature spec and dim at the top (what eval and
/// predict check), the full provenance of the training and validation stores, and the parameters.
/// train_path empty: rows that came from no store (Python arrays); the model then records no feature chain,
/// so eval checks only its dimension and classes and predict cannot rebuild its features.
nlohmann::json model_provenance(const std::string& command, const std::string& train_path,
                                const nlohmann::json& train_provenance, const std::string& val_path,
                                const nlohmann::json& val_provenance, const classify::TrainParams& p,
                                const classify::TrainHistory& history);

}  // namespace featpipe::pipelines
