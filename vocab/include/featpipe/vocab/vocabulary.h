#pragma once
// A visual vocabulary and its store (kind "vocab"): k-means centres or a diagonal GMM, the whitening and
// the PCA projection the descriptors went through before clustering, the spec of the descriptor it was
// learned from (with that store's provenance) and the energy / log-likelihood history. Encoding takes the
// descriptor spec from here and nowhere else, so an image can never be encoded with a descriptor the words
// were not learned on.
//
// Layout: /centres float32 [k, d] (GMM means for gmm), /gmm/variances [k, d], /gmm/weights [k],
// /whitening/mean [d_in] and /whitening/transform [d_in, d_in] (ZCA only), /pca/mean [d_in] and
// /pca/projection [d, d_in] (PCA only; d_in is the descriptor's width, d the centres'), /history/energy
// (k-means, per iteration) or /history/log_likelihood (gmm, per EM step) float64; root attributes `method`
// and `descriptor`; provenance holds method, k, dim, descriptor, whitening parameters, pca (0: none),
// distortion, the descriptor store's provenance under "descriptors", and whatever the caller adds (command,
// seed, iterations ...).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "featpipe/core/matrix.h"
#include "featpipe/vocab/gmm.h"
#include "featpipe/vocab/pca.h"
#include "featpipe/vocab/whitening.h"

namespace featpipe::vocab {

enum class VocabMethod { kmeans, gmm };
/// "kmeans" | "gmm"; std::invalid_argument naming the accepted ones otherwise.
VocabMethod parse_vocab_method(const std::string& name);
std::string to_string(VocabMethod method);

struct Vocabulary {
  VocabMethod method = VocabMethod::kmeans;
  RowMatrix<float> centres;    // k x d, in whitened space: k-means centres or GMM means
  RowMatrix<float> variances;  // gmm only: k x d
  Eigen::VectorXf weights;     // gmm only: k
  Whitening whitening;         // applied to descriptors before they meet the centres
  Pca pca;                     // applied after the whitening: the centres live in its output space
  std::string descriptor;      // canonical spec of the descriptor (features::make_descriptor)
  nlohmann::json descriptor_provenance = nlohmann::json::object();  // of the store it was learned from
  std::vector<double> history;  // energy per k-means iteration, or log-likelihood per EM step
  double distortion = 0;        // mean squared distance of a training descriptor to its nearest centre

  std::size_t k() const { return centres.rows(); }
  std::size_t dim() const { return centres.cols(); }
  /// The width of the descriptors the vocabulary takes: dim(), or the PCA's input width.
  std::size_t input_dim() const { return pca.identity() ? dim() : pca.input_dim(); }
  /// The mixture (gmm only; std::invalid_argument for a k-means vocabulary).
  Gmm gmm() const;
};

/// Writes the store, with `provenance` extended by the vocabulary's own description. Throws InputError on
/// an unwritable path, std::invalid_argument on inconsistent shapes.
void save_vocabulary(const std::string& path, const Vocabulary& vocabulary, const nlohmann::json& provenance);

/// Reads it back. Throws InputError naming the file when it is not a vocab store or its parts disagree.
Vocabulary load_vocabulary(const std::string& path);

/// The provenance the store was written with (for stores made from it).
nlohmann::json vocabulary_provenance(const std::string& path);

}  // namespace featpipe::vocab
