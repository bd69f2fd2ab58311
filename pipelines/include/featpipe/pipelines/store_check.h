#pragma once
// End-to-end checks of a store of any kind featpipe writes (features, descriptors, vocab, model,
// checkpoint), for `featpipe verify`: every dataset read whole, floats finite, shapes and labels consistent
// (each kind's own loader), provenance present and parseable. Each check is its own function, so a stage
// can run those it can afford; the loaders (FeatureStoreReader, load_vocabulary, load_model,
// load_checkpoint) already run their kind's checks on every load.
#include <cstdint>
#include <string>

#include "featpipe/data/store.h"

namespace featpipe::pipelines {

struct StoreCheck {
  std::string kind;
  uint64_t datasets = 0;
  uint64_t values = 0;  // numbers and strings read
  std::string detail;   // what the kind's loader found, e.g. "1200 rows x 64 features, 10 classes"
};

/// InputError naming the store when a dataset cannot be read or a float dataset holds NaN or infinities
/// (naming the dataset and the first bad element). Returns the datasets and values read.
StoreCheck check_datasets_readable_and_finite(const data::StoreReader& store);

/// InputError naming the store when its provenance is missing, not a JSON object, or lacks the record of
/// how its kind is made (the command, or for a model the training store's provenance, for a checkpoint
/// its run and state).
void check_provenance(const data::StoreReader& store);

/// The kind's own checks, through the loader of that kind (shapes, labels against the class names, a
/// vocabulary's parts, a model's parameters). InputError naming the store; the kind when it is not one
/// featpipe writes. Returns a one-line detail.
std::string check_kind(const data::StoreReader& store);

/// Everything above. InputError naming the store and what is wrong.
StoreCheck check_store(const std::string& path);

}  // namespace featpipe::pipelines
