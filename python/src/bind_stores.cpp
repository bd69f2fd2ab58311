// featpipe's stores as numpy arrays (featpipe.open_store) and its dataset readers as image arrays
// (featpipe.datasets.load): the same readers as the command's.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <opencv2/imgproc.hpp>

#include "arrays.h"
#include "bindings.h"
#include "call.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/worker_errors.h"
#include "featpipe/data/dataset.h"
#include "featpipe/data/store.h"
#include "featpipe/pipelines/dataset_options.h"

namespace featpipe::python {
namespace {

const char* dtype_name(data::DType t) {
  switch (t) {
    case data::DType::float32:
      return "float32";
    case data::DType::float64:
      return "float64";
    case data::DType::int32:
      return "int32";
    case data::DType::int64:
      return "int64";
    case data::DType::uint8:
      return "uint8";
    case data::DType::string:
      return "str";
    default:
      return "other";
  }
}

/// Rows of a 2-D float32 dataset in place when the file holds them as one run: a read-only array over the
/// mapped file, which it keeps mapped. None otherwise.
py::object mapped_matrix(const data::StoreReader& reader, const data::DatasetInfo& info) {
  std::optional<data::MappedRows> mapped = reader.map_rows(info.name);
  if (!mapped || mapped->spans().empty()) return py::none();
  const auto& spans = mapped->spans();
  const uint64_t cols = info.shape[1];
  for (std::size_t i = 1; i < spans.size(); ++i) {
    if (spans[i].rows != spans[i - 1].rows + spans[i - 1].count * cols) return py::none();
  }
  const float* rows = spans.front().rows;
  auto* held = new data::MappedRows(std::move(*mapped));
  py::capsule owner(held, [](void* p) { delete static_cast<data::MappedRows*>(p); });
  py::array_t<float> view({py::ssize_t(info.shape[0]), py::ssize_t(cols)}, rows, owner);
  py::detail::array_proxy(view.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return view;
}

template <typename T>
py::array_t<T> shaped(std::vector<T> values, const std::vector<uint64_t>& shape) {
  std::vector<py::ssize_t> dims(shape.begin(), shape.end());
  py::array_t<T> out(dims);
  if (!values.empty()) std::memcpy(out.mutable_data(), values.data(), sizeof(T) * values.size());
  return out;
}

py::object read_dataset(const std::string& path, const std::string& name, bool map) {
  const data::StoreReader reader(path);
  const data::DatasetInfo info = reader.info(name);
  if (map && info.dtype == data::DType::float32 && info.shape.size() == 2) {
    py::object view = mapped_matrix(reader, info);
    if (!view.is_none()) return view;
  }
  switch (info.dtype) {
    case data::DType::float32:
      return shaped(reader.read_floats(name), info.shape);
    case data::DType::float64:
      return shaped(reader.read_doubles(name), info.shape);
    case data::DType::int32:
      return shaped(reader.read_int32(name), info.shape);
    case data::DType::int64:
    case data::DType::uint8:
      return shaped(reader.read_int64(name), info.shape);
    case data::DType::string:
      return py::cast(reader.read_strings(name));
    default:
      throw InputError(path, name + " has a type featpipe does not read; use h5py");
  }
}

py::dict store_summary(const std::string& path) {
  const data::StoreReader reader(path);
  py::dict out;
  out["kind"] = reader.kind();
  out["provenance_json"] = reader.provenance().dump();
  py::list datasets;
  for (const data::DatasetInfo& info : reader.list()) {
    datasets.append(py::make_tuple(info.name, dtype_name(info.dtype), py::tuple(py::cast(info.shape)),
                                   !info.sources.empty()));
  }
  out["datasets"] = datasets;
  return out;
}

/// The images of a split as an array (N, H, W) or (N, H, W, 3) in RGB, with their labels and rows in the
/// source set.
py::tuple view_arrays(const data::SplitView& view) {
  const data::Dataset& dataset = view.dataset();
  const std::size_t n = view.size();
  const cv::Size size = *dataset.uniform_size();
  const int channels = dataset.channels();
  std::vector<py::ssize_t> shape = {py::ssize_t(n), size.height, size.width};
  if (channels == 3) shape.push_back(3);
  py::array_t<uint8_t> images(shape);
  py::array_t<int32_t> labels{py::ssize_t(n)};
  py::array_t<int64_t> rows(py::ssize_t(n), view.rows().data());
  uint8_t* pixels = images.mutable_data();
  int32_t* label = labels.mutable_data();
  const std::size_t bytes = std::size_t(size.area()) * channels;
  run_stage([&](StageObserver& observer) {
    FirstError error(observer);
    // Images decode independently (a folder's files): in parallel, the first error kept.
#pragma omp parallel for schedule(dynamic, 64)
    for (std::size_t i = 0; i < n; ++i) {
      if (error.failed()) continue;
      try {
        cv::Mat out(size, CV_8UC(channels), pixels + i * bytes);
        const cv::Mat image = view.image(i);
        if (image.size() != size || image.channels() != channels) {
          throw InputError(data::describe_image(view, i),
                           "differs in size or channels from the first image; pass resize=(W, H)");
        }
        if (channels == 3) {
          cv::cvtColor(image, out, cv::COLOR_BGR2RGB);
        } else {
          image.copyTo(out);
        }
        label[i] = view.label(i);
      } catch (...) {
        error.capture();
      }
    }
    error.rethrow();
    return 0;
  });
  return py::make_tuple(images, labels, rows);
}

std::string size_text(const std::optional<std::pair<int, int>>& size) {
  return size ? std::to_string(size->first) + "x" + std::to_string(size->second) : "";
}

std::string count_text(const py::object& count) {
  return count.is_none() ? "" : py::str(count).cast<std::string>();
}

pipelines::OpenedSplit open_split(const std::string& spec, const std::string& split,
                                  const py::object& val_size, const py::object& subset, uint64_t seed,
                                  const std::optional<std::pair<int, int>>& resize) {
  pipelines::DatasetArgs args;
  args.spec = spec;
  args.split = split;
  args.val_size = count_text(val_size);
  args.subset = count_text(subset);
  args.resize = size_text(resize);
  pipelines::OpenedSplit opened = pipelines::open_split(args, seed);
  if (!opened.dataset->uniform_size()) {
    throw InputError(spec, "has images of several sizes; pass resize=(W, H) to make them one size");
  }
  return opened;
}

py::tuple load_split(const std::string& spec, const std::string& split, const py::object& val_size,
                     const py::object& subset, uint64_t seed,
                     const std::optional<std::pair<int, int>>& resize) {
  const pipelines::OpenedSplit opened = open_split(spec, split, val_size, subset, seed, resize);
  return view_arrays(*opened.view);
}

py::tuple load_dataset(const std::string& spec, const std::optional<std::pair<int, int>>& resize,
                       uint64_t seed) {
  const pipelines::OpenedSplit train = open_split(spec, "train", py::none(), py::none(), seed, resize);
  const py::tuple train_arrays = view_arrays(*train.view);
  const data::SplitView test = data::select_split(*train.dataset, data::Split::test, {});
  const py::tuple test_arrays = view_arrays(test);
  return py::make_tuple(train_arrays[0], train_arrays[1], test_arrays[0], test_arrays[1],
                        train.dataset->class_names());
}

}  // namespace

void bind_stores(py::module_& m) {
  m.def("_store_summary", &store_summary, py::arg("path"));
  m.def("_store_read", &read_dataset, py::arg("path"), py::arg("name"), py::arg("map") = true);
  m.def("_load_dataset", &load_dataset, py::arg("spec"), py::arg("resize") = py::none(), py::arg("seed") = 0);
  m.def("_load_split", &load_split, py::arg("spec"), py::arg("split"), py::arg("val_size") = py::none(),
        py::arg("subset") = py::none(), py::arg("seed") = 0, py::arg("resize") = py::none());
}

}  // namespace featpipe::python
