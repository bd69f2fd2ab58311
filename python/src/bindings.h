#pragma once
// The parts of the extension module, one file each (module.cpp calls them in order).
#include <pybind11/pybind11.h>

namespace featpipe::python {

void bind_features(pybind11::module_& m);  // extract, descriptors
void bind_vocab(pybind11::module_& m);     // Vocabulary
void bind_classify(pybind11::module_& m);  // training and scoring for LinearClassifier
void bind_stores(pybind11::module_& m);    // stores as arrays, datasets

}  // namespace featpipe::python
