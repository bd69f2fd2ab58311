#pragma once
// The parts of the extension module, one file each (module.cpp calls them in order).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "featpipe/features/extractor.h"

namespace featpipe::python {

void bind_features(pybind11::module_& m);  // extract, descriptors
void bind_vocab(pybind11::module_& m);     // Vocabulary
void bind_classify(pybind11::module_& m);  // training and scoring for LinearClassifier
void bind_stores(pybind11::module_& m);    // stores as arrays, datasets

/// The extractor's features of images (as featpipe.extract takes them): float32 (N, D), or (D,) for one
/// image, allocated once and filled by the extract stage's own code. `subject` is blamed when the
/// extractor cannot take the images.
pybind11::array_t<float> extract_images(const features::FeatureExtractor& extractor,
                                        const pybind11::handle& images, const pybind11::object& threads,
                                        bool rgb, const std::string& subject);

}  // namespace featpipe::python
