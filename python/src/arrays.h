#pragma once
// numpy arrays in and out. Inputs are checked before any work, with ValueError naming the argument and what
// to do: the dtype, the number of axes, emptiness, C-contiguity. C-contiguous uint8 / float32 arrays are
// used in place, never copied; outputs are allocated once, at their final size, and filled by the stage.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "featpipe/data/array_dataset.h"
#include "featpipe/data/split.h"

namespace featpipe::python {

namespace py = pybind11;

/// Images from Python: uint8, (N, H, W) or (N, H, W, C) with C 1 or 3, or one image (H, W) or (H, W, 3);
/// a 3-axis array whose last axis has 3 values is one colour image. Colour is RGB (numpy's order); `rgb`
/// false takes BGR (OpenCV's). The array is held, and read in place, for as long as the batch lives.
class ImageBatch {
 public:
  ImageBatch(const py::handle& images, const std::string& name, bool rgb = true);
  bool single() const { return single_; }
  std::size_t count() const { return dataset_->size(data::Source::train); }
  const data::SplitView& view() const { return *view_; }

 private:
  py::array array_;
  bool single_ = false;
  std::unique_ptr<data::Dataset> dataset_;
  std::unique_ptr<data::SplitView> view_;
};

/// A float32 C-contiguous matrix [rows, cols] read in place; ValueError naming `name` otherwise (dtype,
/// axes, empty, not contiguous, and NaN or infinite values when finite is set).
py::array_t<float> float_matrix(const py::handle& array, const std::string& name, bool finite = true);

/// A new float32 array of the given shape, to be filled with the GIL released.
py::array_t<float> new_floats(std::vector<py::ssize_t> shape);

/// Sets the thread count of the calling thread's OpenMP regions for the scope (threads <= 0 or none:
/// unchanged, all cores by default).
class ThreadCount {
 public:
  explicit ThreadCount(const py::object& threads);
  ~ThreadCount();
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int previous_ = 0;
};

}  // namespace featpipe::python
