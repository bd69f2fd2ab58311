#pragma once
// Training and validation (or test) rows must be different images. Two feature stores made from the same
// dataset's same source set (the train and val splits both come from its training set) are compared through
// their /index, the image each row was made from; a store given as its own validation set is caught the
// same way. A mirrored row of an augmented training store (/augment 1) has its source image's /index, so it
// counts as showing that image.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "featpipe/data/feature_store.h"

namespace featpipe::pipelines {

/// The source set ("train" or "test") a store's rows come from, with the dataset spec, resize and seed that
/// fix which images those are: empty when the provenance does not say (a store made outside the command).
std::string row_origin(const nlohmann::json& provenance);

/// How many images (distinct /index values: an augmented store shows each image in two rows) rows of `b`
/// show that rows of `a` show too: 0 when their origins differ.
std::size_t shared_images(const nlohmann::json& a_provenance, const std::vector<int64_t>& a_index,
                          const nlohmann::json& b_provenance, const std::vector<int64_t>& b_index);

/// How many images the rows of a store show: its distinct /index values.
std::size_t distinct_images(const std::vector<int64_t>& index);

/// InputError naming `other_path` (given as `role`, e.g. "--val") when it shares images with the training
/// store at train_path, saying how many and what to do.
void refuse_shared_images(const std::string& train_path, const data::FeatureStoreReader& train,
                          const std::string& other_path, const data::FeatureStoreReader& other,
                          const std::string& role);

}  // namespace featpipe::pipelines
