#include "featpipe/pipelines/store_overlap.h"

#include <algorithm>

#include "featpipe/core/errors.h"

namespace featpipe::pipelines {

std::string row_origin(const nlohmann::json& p) {
  if (!p.is_object() || !p.contains("dataset") || !p.contains("split")) return "";
  const std::string split = p.value("split", "");
  const std::string source = split == "test" ? "test" : split == "train" || split == "val" ? "train" : "";
  if (source.empty()) return "";
  // The synthetic generators make other images for another seed; resized images are still the same images.
  const bool generated = p.value("dataset", "").rfind("synthetic:", 0) == 0;
  return p["dataset"].dump() + " " + source +
         (generated ? " seed " + p.value("seed", nlohmann::json()).dump() : "");
}

std::size_t shared_images(const nlohmann::json& a_provenance, const std::vector<int64_t>& a_index,
                          const nlohmann::json& b_provenance, const std::vector<int64_t>& b_index) {
  const std::string origin = row_origin(a_provenance);
  if (origin.empty() || origin != row_origin(b_provenance)) return 0;
  std::vector<int64_t> a = a_index;
  std::sort(a.begin(), a.end());
  std::vector<int64_t> b = b_index;
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  std::size_t shared = 0;
  for (int64_t row : b) shared += std::binary_search(a.begin(), a.end(), row) ? 1 : 0;
  return shared;
}

std::size_t distinct_images(const std::vector<int64_t>& index) {
  std::vector<int64_t> sorted = index;
  std::sort(sorted.begin(), sorted.end());
  return static_cast<std::size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
}

void refuse_shared_images(const std::string& train_path, const data::FeatureStoreReader& train,
                          const std::string& other_path, const data::FeatureStoreReader& other,
                          const std::string& role) {
  const std::size_t shared =
      shared_images(train.provenance(), train.index(), other.provenance(), other.index());
  if (shared == 0) return;
  const nlohmann::json p = other.provenance();
  throw InputError(other_path,
                   "shares " + std::to_string(shared) + " of its " +
                       std::to_string(distinct_images(other.index())) + " images with the training store " +
                       train_path + " (both from " + p.value("dataset", "") + ", by their /index), so " +
                       role +
                       " would measure memory, not generalisation; make both with the same --val-size and "
                       "--seed (--split train and --split val), or pass --allow-overlap if this is meant");
}

}  // namespace featpipe::pipelines
