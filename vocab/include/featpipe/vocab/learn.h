#pragma once
// The vocab stage: a visual vocabulary learned from a descriptor store (or from descriptors in memory): the
// whitening the descriptors need, an optional PCA projection, then k-means (Lloyd or mini-batch) or a
// diagonal GMM, with the descriptor spec recorded, so encoding can never use another descriptor. The ranks of
// a job (core/collective.h) can share the work: each reads its blocks of the store's rows, and all learn the
// vocabulary one process would.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "featpipe/core/collective.h"
#include "featpipe/core/matrix.h"
#include "featpipe/core/stage_observer.h"
#include "featpipe/vocab/pca.h"
#include "featpipe/vocab/vocabulary.h"
#include "featpipe/vocab/whitening.h"

namespace featpipe::vocab {

struct LearnOptions {
  VocabMethod method = VocabMethod::kmeans;
  int k = 256;                    // words (clusters / mixture components)
  bool minibatch = false;         // mini-batch k-means reading batches from the store (k-means only)
  int iterations = 0;             // Lloyd iterations / EM steps (0: 100) or mini-batch steps (0: 500)
  double tolerance = -1;          // relative change that stops the iterations; < 0: the method's default
  std::size_t batch = 8192;       // rows per mini-batch step
  WhiteningParams whitening;      // learned from the descriptors and stored with the words
  PcaParams pca;                  // learned after the whitening and stored with the words; not with ZCA,
                                  // which leaves every direction the same variance for PCA to rank
  uint64_t seed = 0;              // seeding, samples and batches
  std::size_t block_rows = 4096;  // rows per block of every sum over the descriptors (whitening, k-means,
                                  // GMM, distortion): fixes the order of the additions, and so the bits;
                                  // the ranks of a job read whole blocks
  // The ranks sharing the work (core/collective.h); nullptr: this process alone. Each rank reads its
  // rank_rows() of the store (core/block_reduction.h), and every rank returns the same vocabulary, the
  // bits one process learns: seeded from the same global sample, every sum taken per block and then in
  // block order. Mini-batch k-means is not shared: every rank runs it whole, reading the same batches.
  // Every rank must call with the same options; only one of them should save the vocabulary.
  const Collective* job = nullptr;
};

/// The first problem of the options as "--option: what is wrong" (the command's names), or nullopt.
std::optional<std::string> validate(const LearnOptions& options);

/// A vocabulary and the provenance to store with it (command, seed, rows, iterations ...).
struct LearnedVocabulary {
  Vocabulary vocabulary;
  nlohmann::json provenance;
  int iterations = 0;
};

/// From the descriptor store at `descriptors` (kind "descriptors"): the whole store in memory, or for
/// options.minibatch evenly spaced samples and batches read from it. The observer sees one phase of
/// iterations (or steps); its checkpoint() is called between them. InputError naming the store or the
/// option on bad input (--pca naming a width not below the descriptors').
LearnedVocabulary learn_vocabulary(const std::string& descriptors, const LearnOptions& options,
                                   StageObserver& observer);

/// From descriptors in memory (x is whitened in place, and replaced by its projection with options.pca),
/// learned from `descriptor` (a descriptor spec); with options.job, x holds this rank's rows as rank_rows()
/// cuts them. options.minibatch is not allowed here.
LearnedVocabulary learn_vocabulary(RowMatrix<float>& x, const std::string& descriptor,
                                   const nlohmann::json& descriptor_provenance, const LearnOptions& options,
                                   StageObserver& observer);

}  // namespace featpipe::vocab
