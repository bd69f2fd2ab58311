#include "fused_stores.h"

#include <algorithm>

#include "featpipe/core/errors.h"
#include "featpipe/pipelines/chain_digest.h"
#include "featpipe/pipelines/model_provenance.h"
#include "featpipe/pipelines/store_overlap.h"

namespace featpipe::pipelines {
namespace {

/// The first row at which a and b (as long as a) differ, a.size() when they do not.
template <typename T>
std::size_t first_difference(const std::vector<T>& a, const std::vector<T>& b) {
  return static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin()).first - a.begin());
}

/// InputError naming other unless it holds the rows of reference: the same count, labels, /index, /augment,
/// and source set and split.
void check_same_rows(const std::string& reference_path, const data::FeatureStoreReader& reference,
                     const std::string& other_path, const data::FeatureStoreReader& other) {
  const std::string prefix =
      "holds other rows than " + reference_path + ", so their features cannot be " + "fused row by row: ";
  const std::string advice =
      "; give stores made from the same images (the same --data, --split, --val-size, "
      "--subset and --seed)";
  if (other.rows() != reference.rows()) {
    throw InputError(other_path, prefix + std::to_string(other.rows()) + " rows against " +
                                     std::to_string(reference.rows()) + advice);
  }
  const nlohmann::json p = reference.provenance(), q = other.provenance();
  if (row_origin(p) != row_origin(q) ||
      p.value("split", nlohmann::json()) != q.value("split", nlohmann::json())) {
    throw InputError(other_path, prefix + "its images come from " +
                                     q.value("dataset", nlohmann::json()).dump() + " split " +
                                     q.value("split", nlohmann::json()).dump() + ", theirs from " +
                                     p.value("dataset", nlohmann::json()).dump() + " split " +
                                     p.value("split", nlohmann::json()).dump() + advice);
  }
  const auto refuse_row = [&](std::size_t row, const std::string& what, int64_t here, int64_t there) {
    throw InputError(other_path, prefix + "row " + std::to_string(row) + " has " + what + " " +
                                     std::to_string(here) + " here and " + std::to_string(there) + " there" +
                                     advice);
  };
  const std::size_t label_row = first_difference(other.labels(), reference.labels());
  if (label_row < other.labels().size())
    refuse_row(label_row, "label", other.labels()[label_row], reference.labels()[label_row]);
  const std::size_t index_row = first_difference(other.index(), reference.index());
  if (index_row < other.index().size())
    refuse_row(index_row, "/index", other.index()[index_row], reference.index()[index_row]);
  // An augmented store's rows 2i and 2i + 1 share an /index: the mirror marks must agree too.
  const std::size_t augment_row = first_difference(other.augment(), reference.augment());
  if (augment_row < other.augment().size())
    refuse_row(augment_row, "/augment", other.augment()[augment_row], reference.augment()[augment_row]);
}

}  // namespace

FusedStores::FusedStores(const std::vector<std::string>& paths, const std::string& option) : paths_(paths) {
  if (paths_.empty()) throw InputError(option, "give a feature store");
  for (const std::string& path : paths_) {
    stores_.push_back(std::make_unique<classify::StoreRowSource>(path));
    if (stores_.size() == 1) continue;
    check_same_classes(signature(0), signature(stores_.size() - 1));
    check_same_rows(paths_.front(), first().reader(), path, stores_.back()->reader());
  }
  if (stores_.size() > 1) {
    std::vector<const classify::RowSource*> parts;
    for (const auto& s : stores_) parts.push_back(s.get());
    joined_ = std::make_unique<classify::JoinedRows>(parts);
  }
}

const classify::RowSource& FusedStores::rows() const {
  if (joined_) return *joined_;
  return first();
}

std::string FusedStores::name() const { return join_paths(paths_); }

FeatureSignature FusedStores::signature(std::size_t i) const {
  const classify::StoreRowSource& s = store(i);
  return pipelines::signature(paths_[i], s.reader().provenance(), s.dim(), s.reader().class_names());
}

void check_same_features(const FusedStores& reference, const FusedStores& other, const std::string& option) {
  if (other.size() != reference.size()) {
    throw InputError(option, "gives " + std::to_string(other.size()) +
                                 " store(s) but the training rows are " + std::to_string(reference.size()) +
                                 " store(s) side by side (" + reference.name() +
                                 "); give one for each, in the same order");
  }
  for (std::size_t i = 0; i < reference.size(); ++i)
    check_same_features(reference.signature(i), other.signature(i));
}

void record_fused_stores(nlohmann::json& model_provenance, const FusedStores& train, const FusedStores* val) {
  if (train.size() < 2) return;
  nlohmann::json stores = nlohmann::json::array();
  std::string features;
  for (std::size_t i = 0; i < train.size(); ++i) {
    const nlohmann::json p = train.store(i).reader().provenance();
    stores.push_back({{"path", train.path(i)},
                      {"dim", train.store(i).dim()},
                      {"provenance", p},
                      {"chain", record_chain_digests(p)}});
    features += (i == 0 ? "" : " + ") + p.value("features", std::string("?"));
  }
  model_provenance["train"]["stores"] = stores;
  model_provenance["features"] = features;
  model_provenance["dim"] = train.dim();
  model_provenance["chain"] = nlohmann::json::array();  // each store's, under train / stores
  if (val) {
    nlohmann::json paths = nlohmann::json::array();
    for (std::size_t i = 0; i < val->size(); ++i) paths.push_back(val->path(i));
    model_provenance["val"]["paths"] = paths;
  }
}

}  // namespace featpipe::pipelines
