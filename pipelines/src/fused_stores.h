#pragma once
// Private: feature stores of the same rows read side by side as one matrix (`train --train A.h5 --train
// B.h5`, `eval --store A.h5 --store B.h5`): row r is row r of each store, their features concatenated in
// the order given. The stores must hold the same rows: the same count, /labels, /index and source set and
// split (provenance). One store is read as it is, bit for bit as before fusion existed.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "featpipe/classify/joined_rows.h"
#include "featpipe/classify/store_source.h"
#include "train_options.h"

namespace featpipe::pipelines {

class FusedStores {
 public:
  /// InputError naming `option` when paths is empty; naming a store (and the first one) when it is not a
  /// feature store or holds other rows, with the first row that differs.
  FusedStores(const std::vector<std::string>& paths, const std::string& option);

  std::size_t size() const { return stores_.size(); }
  const std::string& path(std::size_t i) const { return paths_[i]; }
  const classify::StoreRowSource& store(std::size_t i) const { return *stores_[i]; }
  /// The first store: its labels, /index and class names are every store's.
  const classify::StoreRowSource& first() const { return *stores_.front(); }
  /// All the stores' features, row by row (the first store itself when it is alone).
  const classify::RowSource& rows() const;
  uint64_t dim() const { return rows().dim(); }
  /// The paths joined by ',', for messages and the rows' name in the trainer's.
  std::string name() const;
  FeatureSignature signature(std::size_t i) const;

 private:
  std::vector<std::string> paths_;
  std::vector<std::unique_ptr<classify::StoreRowSource>> stores_;
  std::unique_ptr<classify::JoinedRows> joined_;
};

/// InputError naming other's option unless it has as many stores as reference, each with the features of
/// the reference store at its place (check_same_features).
void check_same_features(const FusedStores& reference, const FusedStores& other, const std::string& option);

/// What a model trained on several stores records beside model_provenance's entries for the first: under
/// "train" / "stores", {"path", "dim", "provenance", "chain"} of every store in order (model_provenance.h,
/// training_stores); the fused feature spec and width at the top; under "val" / "paths", every validation
/// store. Nothing for one store (with val null or of one store too).
void record_fused_stores(nlohmann::json& model_provenance, const FusedStores& train, const FusedStores* val);

}  // namespace featpipe::pipelines
