#pragma once
// LinearClassifier's hyperparameters: a dict of its keyword arguments <-> classify::TrainParams. The keywords
// are TrainParams' fields under the names of `featpipe train`'s options ('_' for '-'), but for lam
// (--lambda: a Python keyword) and with_replacement (--replacement); standardize and byte_rows have no
// option. Values are checked as the command checks its options, with ValueError naming the keyword.
#include <pybind11/pybind11.h>

#include "featpipe/classify/trainer.h"

namespace featpipe::python {

/// TrainParams from {keyword: value}; a keyword left out keeps TrainParams' default. ValueError on an
/// unknown keyword, a value of the wrong type or out of range, or an unknown loss / reg / optimizer /
/// schedule name (listing the names).
classify::TrainParams train_params(const pybind11::dict& params);

/// {keyword: value} of p: train_params(params_dict(p)) == p.
pybind11::dict params_dict(const classify::TrainParams& p);

}  // namespace featpipe::python
