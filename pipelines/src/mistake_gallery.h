#pragma once
// The report's gallery of a model's most confident mistakes: the test images it got wrong with the highest
// confidence, found again in the dataset through the test store's /index and provenance, written as small
// PNG thumbnails into the report folder.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "featpipe/data/feature_store.h"
#include "model_answers.h"
#include "staged_folder.h"

namespace featpipe::pipelines {

/// Rows wrongly predicted, the most confident first (ties: the lower row), at most `count`.
std::vector<std::size_t> most_confident_mistakes(const RowAnswers& answers, std::size_t count);

/// Writes the thumbnails of `rows` of the test store as `prefix`-N.png into `report` and returns
/// {"images": [{"file", "row", "true", "predicted", "confidence"}]}, or {"note": why there is no gallery}
/// when the images cannot be reached: the store does not record its dataset, or the dataset cannot be opened
/// (moved, deleted).
nlohmann::json write_mistake_gallery(const data::FeatureStoreReader& test, const std::string& test_path,
                                     const RowAnswers& answers, const std::vector<std::size_t>& rows,
                                     const std::vector<std::string>& class_names, const std::string& prefix,
                                     const StagedFolder& report);

}  // namespace featpipe::pipelines
