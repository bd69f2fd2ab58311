#include "arrays.h"

#include <omp.h>

#include <cmath>
#include <numeric>

#include "featpipe/classify/finite_check.h"
#include "featpipe/core/errors.h"

namespace featpipe::python {
namespace {

std::string shape_text(const py::array& a) {
  std::string text = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) text += (i ? ", " : "") + std::to_string(a.shape(i));
  return text + (a.ndim() == 1 ? ",)" : ")");
}

std::string dtype_text(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }

py::array as_array(const py::handle& object, const std::string& name) {
  if (!py::isinstance<py::array>(object)) {
    throw InputError(name, std::string("is a ") + Py_TYPE(object.ptr())->tp_name +
                               ", not a numpy array; pass numpy.asarray(...) with the dtype featpipe takes");
  }
  return py::reinterpret_borrow<py::array>(object);
}

void require_contiguous(const py::array& a, const std::string& name) {
  if (!(a.flags() & py::array::c_style)) {
    throw InputError(name,
                     "is not C-contiguous (a slice or transpose of another array); featpipe reads "
                     "arrays in place, so pass numpy.ascontiguousarray(" +
                         name + ")");
  }
}

}  // namespace

ImageBatch::ImageBatch(const py::handle& images, const std::string& name, bool rgb)
    : array_(as_array(images, name)) {
  if (array_.dtype().num() != py::dtype::of<uint8_t>().num()) {
    throw InputError(name, "has dtype " + dtype_text(array_) +
                               "; featpipe takes uint8 images (0..255): convert with "
                               "numpy.clip(x * 255, 0, 255).astype(numpy.uint8) for values in [0, 1]");
  }
  const py::ssize_t axes = array_.ndim();
  if (axes < 2 || axes > 4) {
    throw InputError(name, "has shape " + shape_text(array_) +
                               "; featpipe takes (N, H, W) or (N, H, W, C) images, or one image (H, W) or "
                               "(H, W, 3)");
  }
  single_ = axes == 2 || (axes == 3 && array_.shape(2) == 3);
  const py::ssize_t n = single_ ? 1 : array_.shape(0);
  const py::ssize_t first = single_ ? 0 : 1;
  const py::ssize_t channels = axes - first == 3 ? array_.shape(axes - 1) : 1;
  if (array_.size() == 0) throw InputError(name, "is empty, shape " + shape_text(array_));
  if (channels != 1 && channels != 3) {
    throw InputError(name, "has " + std::to_string(channels) + " channels (shape " + shape_text(array_) +
                               "); featpipe takes 1 (grey) or 3 (RGB)");
  }
  require_contiguous(array_, name);
  data::ImageArray view;
  view.pixels = static_cast<const uint8_t*>(array_.data());
  view.count = static_cast<std::size_t>(n);
  view.size = cv::Size(static_cast<int>(array_.shape(first + 1)), static_cast<int>(array_.shape(first)));
  view.channels = static_cast<int>(channels);
  view.rgb = rgb;
  dataset_ = data::make_array_dataset(view, {}, {}, name);
  std::vector<int64_t> rows(view.count);
  std::iota(rows.begin(), rows.end(), 0);
  view_ = std::make_unique<data::SplitView>(*dataset_, data::Source::train, std::move(rows));
}

py::array_t<float> float_matrix(const py::handle& object, const std::string& name, bool finite) {
  const py::array a = as_array(object, name);
  if (a.dtype().num() != py::dtype::of<float>().num()) {
    throw InputError(name, "has dtype " + dtype_text(a) + "; featpipe takes float32: pass " + name +
                               ".astype(numpy.float32)");
  }
  if (a.ndim() != 2) {
    throw InputError(name, "has shape " + shape_text(a) + "; featpipe takes a matrix (rows, columns)");
  }
  if (a.size() == 0) throw InputError(name, "is empty, shape " + shape_text(a));
  require_contiguous(a, name);
  const auto m = py::reinterpret_borrow<py::array_t<float>>(a);
  if (finite) {
    const auto cell = classify::first_non_finite(
        ConstMatrixView<float>(Eigen::Map<const RowMatrix<float>>(m.data(), m.shape(0), m.shape(1))));
    if (cell) {
      throw InputError(name, "row " + std::to_string(cell->row) + " column " + std::to_string(cell->feature) +
                                 " is " + (std::isnan(cell->value) ? "NaN" : "infinite") +
                                 "; featpipe needs finite values");
    }
  }
  return m;
}

py::array_t<float> new_floats(std::vector<py::ssize_t> shape) { return py::array_t<float>(shape); }

ThreadCount::ThreadCount(const py::object& threads) : previous_(omp_get_max_threads()) {
  if (!threads.is_none()) {
    const int n = threads.cast<int>();
    if (n < 0) throw InputError("threads", "must be at least 1 (or None for every core)");
    if (n > 0) omp_set_num_threads(n);
  }
}

ThreadCount::~ThreadCount() { omp_set_num_threads(previous_); }

}  // namespace featpipe::python
