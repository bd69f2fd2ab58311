#pragma once
// What a model store records about how it was trained (DESIGN.md, "HDF5 stores"): every hyperparameter, the
// training store's provenance, and the result. Shared by the train and sweep stages and by the Python
// module's LinearClassifier.save, so that a model from any front end is checked alike by eval and predict.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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

/// A store whose features a model was trained on: a model trained on several stores side by side (`train
/// --train A.h5 --train B.h5`) records each under "train" / "stores", in the order of its columns; any
/// other model records one, under "train" (its path and provenance) with "chain" and "dim" at the top.
struct TrainingStore {
  std::string path;
  nlohmann::json provenance;  // the store's
  uint64_t dim = 0;           // its features per row (0: not recorded)
  nlohmann::json chain;       // its chain digests (chain_digest.h), or null
};

/// The training stores a model records, in order; none for a model of rows from no store.
std::vector<TrainingStore> training_stores(const nlohmann::json& model_provenance);

/// The feature spec of a model's rows: its training store's, or theirs joined by " + ", in order; "?" when
/// not recorded.
std::string model_features(const nlohmann::json& model_provenance);

}  // namespace featpipe::pipelines
