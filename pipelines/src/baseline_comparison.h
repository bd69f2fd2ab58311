#pragma once
// A model against the baseline on the same test images: the gain, McNemar's exact test on the images only
// one of them got right, and the change of every class's accuracy. The rows of the two test stores are
// matched through their /index (the image each row was made from).
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "featpipe/data/feature_store.h"
#include "model_answers.h"

namespace featpipe::pipelines {

/// For each row of the model's test store, the row of the baseline's test store that shows the same image.
/// Stores at the same path match row for row; others must come from the same source set of the same
/// dataset (store_overlap.h's row_origin) and hold the same images, else InputError naming both stores.
std::vector<std::size_t> match_rows(const std::string& base_path, const data::FeatureStoreReader& base,
                                    const std::string& model_path, const data::FeatureStoreReader& model);

/// {"images", "gain", "only_model", "only_baseline", "p_value", "within_noise", "class_change": [per class,
/// null where a class has no image]}: base_row[i] is the baseline's row of the model's row i.
nlohmann::json compare_with_baseline(const RowAnswers& base, const RowAnswers& model,
                                     const std::vector<std::size_t>& base_row, int classes);

}  // namespace featpipe::pipelines
