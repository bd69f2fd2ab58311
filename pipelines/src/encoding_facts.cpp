#include "encoding_facts.h"

#include <string>

#include "model_facts.h"

namespace featpipe::pipelines {
namespace {

std::string text_or(const nlohmann::json& value, const std::string& fallback) {
  return value.is_string() ? value.get<std::string>() : fallback;
}

/// "bow (kmeans)", "fisher (gmm, pca 64)": the encoding and how its vocabulary was learned.
std::string encode_method(const nlohmann::json& encoding, const nlohmann::json& vocab) {
  std::string learned = text_or(provenance_value(vocab, {"method"}), "");
  const auto add = [&](const std::string& step) { learned += (learned.empty() ? "" : ", ") + step; };
  const nlohmann::json pca = provenance_value(vocab, {"pca"});
  if (pca.is_number_integer() && pca.get<int64_t>() > 0) add("pca " + std::to_string(pca.get<int64_t>()));
  if (provenance_value(vocab, {"whitening", "zca"}) == true) add("zca");
  const std::string method = text_or(provenance_value(encoding, {"encoding"}), "?");
  return learned.empty() ? method : method + " (" + learned + ")";
}

/// "power(alpha=0.5) + l2 + chi2 map; sum pool, pyramid 1:2": the steps in the order encode applies them.
std::string encode_normalisation(const nlohmann::json& encoding) {
  std::string norm = text_or(provenance_value(encoding, {"norm"}), "none");
  for (std::size_t at = norm.find('+'); at != std::string::npos; at = norm.find('+', at + 3))
    norm.replace(at, 1, " + ");
  const nlohmann::json map = provenance_value(encoding, {"kernel_map"});
  if (map.is_string()) norm += " + " + map.get<std::string>() + " map";
  return norm + "; " + text_or(provenance_value(encoding, {"pool"}), "?") + " pool, pyramid " +
         text_or(provenance_value(encoding, {"pyramid"}), "?");
}

}  // namespace

nlohmann::json encoding_facts(const nlohmann::json& features) {
  if (text_or(provenance_value(features, {"command"}), "") == "encode") {
    const nlohmann::json encoding = provenance_value(features, {"encoding"});
    const nlohmann::json vocab = provenance_value(features, {"vocab", "provenance"});
    return {{"method", encode_method(encoding, vocab)},
            {"k", provenance_value(vocab, {"k"})},
            {"normalisation", encode_normalisation(encoding)}};
  }
  const nlohmann::json map = provenance_value(features, {"kernel_map"});
  return {{"method", text_or(provenance_value(features, {"features"}), "?")},
          {"k", nullptr},
          {"normalisation", map.is_string() ? map.get<std::string>() + " map" : "-"}};
}

}  // namespace featpipe::pipelines
