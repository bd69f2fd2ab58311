#include "commands.h"

#include "featpipe/pipelines/command.h"

namespace featpipe::pipelines {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"datasets", "which datasets are found, with class names and counts", run_datasets},
      {"extract", "global features of a dataset split into a feature store", run_extract},
      {"inspect", "what an HDF5 store holds: kind, datasets, provenance, statistics", run_inspect},
      {"train", "a linear classifier (svm, softmax, ...) on a feature store, by minibatch SGD", run_train},
  };
  return table;
}

}  // namespace featpipe::pipelines
