#pragma once
// What a model's features are, as the encodings comparison of Chatfield et al. (BMVC 2011) tabulates them:
// the method (the encoding and its vocabulary, or the extracted features), the vocabulary size and the
// normalisation / pooling, read from the feature store's provenance that the model recorded.
#include <nlohmann/json.hpp>

namespace featpipe::pipelines {

/// {"method": "bow (kmeans)" | "fisher (gmm, pca 64)" | the extract spec, "k": K or null,
///  "normalisation": "l1 + chi2 map; sum pool, pyramid 1:2" | "-" when nothing is recorded}, from the
/// provenance of a model's training store (an encode or extract store; anything else reads as unknown).
nlohmann::json encoding_facts(const nlohmann::json& features_provenance);

}  // namespace featpipe::pipelines
