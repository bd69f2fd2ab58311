// featpipe.extract and featpipe.descriptors: the extract and descriptors stages on images in memory.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "arrays.h"
#include "bindings.h"
#include "call.h"
#include "featpipe/core/errors.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/extract.h"
#include "featpipe/features/sample_descriptors.h"

namespace featpipe::python {
namespace {

py::array_t<float> extract(const py::handle& images, const std::string& spec, const py::object& threads,
                           bool rgb) {
  const auto extractor = blame("spec", [&] { return features::make_extractor(spec); });
  return extract_images(*extractor, images, threads, rgb, "spec");
}

template <typename T>
py::array_t<T> to_array(std::vector<T>&& values) {
  auto* held = new std::vector<T>(std::move(values));
  py::capsule owner(held, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({py::ssize_t(held->size())}, held->data(), owner);
}

py::array_t<float> to_array(RowMatrix<float>&& values) {
  auto* held = new RowMatrix<float>(std::move(values));
  py::capsule owner(held, [](void* p) { delete static_cast<RowMatrix<float>*>(p); });
  return py::array_t<float>({py::ssize_t(held->rows()), py::ssize_t(held->cols())}, held->data(), owner);
}

py::tuple descriptors(const py::handle& images, const std::string& spec, const py::object& sample,
                      uint64_t seed, const py::object& threads, bool rgb) {
  const auto descriptor = blame("spec", [&] { return features::make_descriptor(spec); });
  const ImageBatch batch(images, "images", rgb);
  const ThreadCount thread_count(threads);
  features::DescriptorSampleOptions options;
  options.seed = seed;
  options.sample = SIZE_MAX;  // every frame of every image
  if (!sample.is_none()) {
    const long long n = sample.cast<long long>();
    if (n < 1) throw InputError("sample", "must be at least 1 (or None for every descriptor)");
    options.sample = static_cast<std::size_t>(n);
  }
  features::DescriptorSample result = run_stage([&](StageObserver& observer) {
    return features::sample_descriptors_to_memory(batch.view(), *descriptor, options, observer);
  });
  // The rows are moved into the arrays, never copied.
  return py::make_tuple(to_array(std::move(result.descriptors)), to_array(std::move(result.frames)),
                        to_array(std::move(result.index)), descriptor->spec());
}

}  // namespace

py::array_t<float> extract_images(const features::FeatureExtractor& extractor, const py::handle& images,
                                  const py::object& threads, bool rgb, const std::string& subject) {
  const ImageBatch batch(images, "images", rgb);
  const ThreadCount thread_count(threads);
  const std::size_t dim = features::split_dim(batch.view(), extractor, subject);
  py::array_t<float> out = batch.single() ? new_floats({py::ssize_t(dim)})
                                          : new_floats({py::ssize_t(batch.count()), py::ssize_t(dim)});
  float* rows = out.mutable_data();
  run_stage([&](StageObserver& observer) {
    features::extract_to_memory(batch.view(), extractor, dim, rows, observer);
    return 0;
  });
  return out;
}

void bind_features(py::module_& m) {
  m.def("extract", &extract, py::arg("images"), py::arg("spec"), py::kw_only(),
        py::arg("threads") = py::none(), py::arg("rgb") = true,
        R"doc(Global features of images, as `featpipe extract --features SPEC` computes them.

images: uint8 array (N, H, W) or (N, H, W, C), C 1 or 3 in RGB order (rgb=False: BGR, OpenCV's), or one
image (H, W) or (H, W, 3); C-contiguous (read in place). spec: e.g. "hog(cell=4)+huehist".
Returns float32 (N, D), or (D,) for one image. threads: OpenMP threads (None: every core); the values are
the same for any count.)doc");
  m.def(
      "descriptors", &descriptors, py::arg("images"), py::arg("spec"), py::kw_only(),
      py::arg("sample") = py::none(), py::arg("seed") = 0, py::arg("threads") = py::none(),
      py::arg("rgb") = true,
      R"doc(Local descriptors of images, as `featpipe descriptors --descriptor SPEC --sample N` samples them.

spec: e.g. "dsift(step=2,size=4)", "sift", "patch(size=6,stride=1)". sample: how many to keep, shared
equally over the images with the seed's choice (None: all). Returns (descriptors float32 (M, D),
frames float32 (M, 4): x, y, scale, angle, image int64 (M,): the row of images each came from, and the
canonical descriptor spec).)doc");
}

}  // namespace featpipe::python
