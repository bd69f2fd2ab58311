#include "commands.h"

#include "featpipe/pipelines/command.h"

namespace featpipe::pipelines {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"datasets", "which datasets are found, with class names and counts", run_datasets},
      {"extract", "global features of a dataset split into a feature store", run_extract, true, "", true},
      {"descriptors", "a seeded, per-image-balanced sample of local descriptors with their frames",
       run_descriptors, true, "", true},
      {"match", "local descriptors of two images matched (ratio test), or one image's repeated structures",
       run_match},
      {"vocab", "a visual vocabulary (k-means or GMM, with whitening) learned from a descriptor store",
       run_vocab, true, "", true},
      {"encode", "a split encoded against a vocabulary (bow, soft, vlad, fisher, triangle) over a pyramid",
       run_encode, true, "", true},
      {"inspect", "what an HDF5 store holds: kind, datasets, provenance, statistics", run_inspect},
      {"train", "a linear classifier (svm, softmax, ...) on a feature store, by minibatch SGD", run_train,
       true, "; set --max-memory to stream the training store in chunks", true},
      {"eval", "a model's accuracy, per-class precision / recall / F1 and confusion matrix", run_eval},
      {"predict", "class and scores for new image files, through the model's whole feature chain",
       run_predict},
      {"sweep", "learning rate x lambda grid ranked by validation accuracy; writes the best model", run_sweep,
       false, "", true},
      {"compare", "the raw-vs-engineered report: table and plots of models on their test stores",
       run_compare},
      {"merge", "a sharded store (written on several ranks) copied into one plain store", run_merge, true},
      {"verify", "a store of any kind read and checked end to end; exit 2 naming what is corrupt",
       run_verify},
      {"gradcheck", "numerical vs analytic gradients of every loss x regulariser", run_gradcheck},
  };
  return table;
}

}  // namespace featpipe::pipelines
