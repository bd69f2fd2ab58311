#include "test_leakage.h"

#include <filesystem>

#include "featpipe/core/errors.h"
#include "featpipe/pipelines/store_overlap.h"

namespace featpipe::pipelines {
namespace {

namespace fs = std::filesystem;

/// The options that pick a split's images out of its source set.
nlohmann::json split_choice(const nlohmann::json& p) {
  nlohmann::json choice = nlohmann::json::object();
  for (const char* key : {"split", "val_size", "subset", "seed"}) {
    if (p.contains(key)) choice[key] = p[key];
  }
  return choice;
}

}  // namespace

std::string find_training_store(const nlohmann::json& model_provenance, const std::string& model_path) {
  const nlohmann::json train = model_provenance.value("train", nlohmann::json::object());
  const std::string recorded = train.value("path", std::string());
  if (recorded.empty()) return "";
  std::error_code ec;
  if (fs::is_regular_file(recorded, ec)) return recorded;
  const fs::path beside = fs::path(model_path).parent_path() / fs::path(recorded).filename();
  return fs::is_regular_file(beside, ec) ? beside.string() : "";
}

std::string refuse_test_leakage(const std::string& model_path, const nlohmann::json& model_provenance,
                                const std::string& test_path, const data::FeatureStoreReader& test) {
  const nlohmann::json train_provenance =
      model_provenance.value("train", nlohmann::json::object()).value("provenance", nlohmann::json::object());
  const std::string origin = row_origin(train_provenance);
  if (origin.empty() || origin != row_origin(test.provenance())) return "";  // other images, or unknown

  const std::string train_path = find_training_store(model_provenance, model_path);
  std::size_t shared = 0;
  std::string train_name = train_path;
  if (!train_path.empty()) {
    const data::FeatureStoreReader train(train_path);
    if (row_origin(train.provenance()) != origin) return "";  // replaced by a store of other images
    shared = shared_images(train.provenance(), train.index(), test.provenance(), test.index());
  } else if (split_choice(train_provenance) == split_choice(test.provenance())) {
    shared = distinct_images(test.index());  // the same split of the same images
    train_name =
        model_provenance["train"].value("path", std::string("?")) + " (as recorded in " + model_path + ")";
  } else {
    return model_path + ": its training store is gone, so whether " + test_path +
           " shares images with it cannot be checked";
  }
  if (shared == 0) return "";
  throw InputError(test_path, "shares " + std::to_string(shared) + " of its " +
                                  std::to_string(distinct_images(test.index())) + " images with " +
                                  train_name + ", the training store of " + model_path + " (both from " +
                                  train_provenance.value("dataset", "") +
                                  ", by their /index), so its accuracy would measure memory, not "
                                  "generalisation; give a store made with --split test, or pass "
                                  "--allow-overlap if this is meant");
}

}  // namespace featpipe::pipelines
