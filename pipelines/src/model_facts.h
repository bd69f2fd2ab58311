#pragma once
// What a model's provenance tells the compare report about how it was made: the time of every stage of its
// feature chain and training, the vocabulary size, how many training and validation images it saw, and the
// warnings train or sweep recorded.
#include <nlohmann/json.hpp>
#include <string>

namespace featpipe::pipelines {

/// The value at a JSON path of a provenance, or null where the path does not exist.
nlohmann::json provenance_value(const nlohmann::json& j, std::initializer_list<const char*> path);

/// {"times": {"extract" | "descriptors" | "vocab" | "encode" | "train": seconds, only those recorded},
///  "vocab_k": K or null, "train_rows", "val_rows": counts or null, "warnings": [strings]}. Row counts of
/// models made before they were recorded are read from their stores when those are still there.
nlohmann::json model_facts(const nlohmann::json& provenance, const std::string& model_path);

}  // namespace featpipe::pipelines
