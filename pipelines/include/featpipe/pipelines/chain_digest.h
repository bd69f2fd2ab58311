#pragma once
// A model's chain digests: the content digest (data/store_digest.h) of every store its feature chain reads
// (the vocabulary, with its whitening, of an encoded training store), recorded under "chain" in the model's
// provenance when it is trained, and compared with the stores found when the chain runs again, so that a
// vocabulary replaced since (`vocab ... --out V.h5` over it) is refused instead of giving other features.
// Models without "chain" (written before digests were kept) are not checked.
#include <nlohmann/json.hpp>
#include <string>

#include "featpipe/pipelines/model_provenance.h"

namespace featpipe::pipelines {

/// [{"role", "path", "digest"}] for the chain inputs of a training store: the digest encode recorded, or,
/// for a store encoded before digests were kept, that of the input as it is now. Inputs that no longer
/// exist and have no recorded digest are left out.
nlohmann::json record_chain_digests(const nlohmann::json& train_store_provenance);

/// InputError naming a chain input that exists and whose contents differ from the digest the model at
/// model_path recorded, with what to do. Inputs that are missing are skipped (loading them reports it).
/// Every training store's chain (model_provenance.h, training_stores), or one store's.
void check_chain_digests(const nlohmann::json& model_provenance, const std::string& model_path);
void check_chain_digests(const TrainingStore& store, const std::string& model_path);

/// InputError naming the store at store_path when it records a chain input digest that differs from the
/// one the model recorded for the same input of its training store `trained` (it was encoded with another
/// vocabulary than the model's).
void check_same_chain(const TrainingStore& trained, const std::string& model_path,
                      const nlohmann::json& store_provenance, const std::string& store_path);

}  // namespace featpipe::pipelines
