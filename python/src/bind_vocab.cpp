// featpipe.Vocabulary: the vocab stage on descriptors in memory, the encode stage on images in memory, and
// the vocabulary store (the same file as `featpipe vocab --out`).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstring>
#include <memory>
#include <optional>

#include "arrays.h"
#include "bindings.h"
#include "call.h"
#include "featpipe/core/errors.h"
#include "featpipe/features/extract.h"
#include "featpipe/pipelines/encoding_options.h"
#include "featpipe/vocab/learn.h"
#include "featpipe/vocab/vocabulary.h"

namespace featpipe::python {
namespace {

struct PyVocabulary {
  vocab::Vocabulary vocabulary;
  nlohmann::json provenance = nlohmann::json::object();
};

py::array_t<float> copy_matrix(const RowMatrix<float>& m) {
  py::array_t<float> out({py::ssize_t(m.rows()), py::ssize_t(m.cols())});
  if (m.size()) std::memcpy(out.mutable_data(), m.data(), sizeof(float) * m.size());
  return out;
}

std::shared_ptr<PyVocabulary> fit(const py::handle& descriptors, int k,
                                  const std::optional<std::string>& descriptor, const std::string& method,
                                  const std::optional<std::string>& whiten, float zca_eps, bool patch_norm,
                                  float patch_eps, int pca, int iterations, double tolerance, uint64_t seed,
                                  std::size_t block, const py::object& threads) {
  // featpipe.descriptors() returns its rows with the spec they were made with.
  py::handle rows = descriptors;
  std::string spec = descriptor.value_or("");
  if (py::hasattr(descriptors, "spec") && py::isinstance<py::tuple>(descriptors)) {
    rows = descriptors[py::int_(0)];
    if (spec.empty()) spec = descriptors.attr("spec").cast<std::string>();
  }
  if (spec.empty()) {
    throw InputError("descriptor",
                     "names no descriptor spec; pass what featpipe.descriptors() returned, or "
                     "descriptor=\"dsift(step=2,size=4)\" with the spec the rows were made with");
  }
  const py::array_t<float> x = float_matrix(rows, "descriptors");
  vocab::LearnOptions o;
  try {
    o.method = vocab::parse_vocab_method(method);
  } catch (const std::invalid_argument& e) {
    throw InputError("method", e.what());
  }
  if (whiten && *whiten != "none" && *whiten != "zca") throw InputError("whiten", "use None or \"zca\"");
  o.k = k;
  o.iterations = iterations;
  o.tolerance = tolerance;
  o.block_rows = block;
  o.seed = seed;
  o.whitening.zca = whiten && *whiten == "zca";
  o.whitening.zca_eps = zca_eps;
  o.whitening.normalize_patches = patch_norm;
  o.whitening.patch_eps = patch_eps;
  o.pca.dims = pca;
  if (auto error = vocab::validate(o)) {
    const std::size_t colon = error->find(": ");
    std::string option = colon == std::string::npos ? "options" : error->substr(0, colon);
    if (option.rfind("--", 0) == 0) option = option.substr(2);
    std::replace(option.begin(), option.end(), '-', '_');
    throw InputError(option, colon == std::string::npos ? *error : error->substr(colon + 2));
  }
  if (static_cast<py::ssize_t>(k) > x.shape(0)) {
    throw InputError("k", std::to_string(k) + " words need at least as many descriptors; there are " +
                              std::to_string(x.shape(0)));
  }
  if (pca > 0 && static_cast<py::ssize_t>(pca) >= x.shape(1)) {
    throw InputError("pca", std::to_string(pca) + " components must be fewer than the " +
                                std::to_string(x.shape(1)) + " columns of the descriptors");
  }
  // The stage whitens its rows in place: the caller's array is copied once, never changed.
  RowMatrix<float> m(x.shape(0), x.shape(1));
  std::memcpy(m.data(), x.data(), sizeof(float) * m.size());
  const ThreadCount thread_count(threads);
  const nlohmann::json descriptor_provenance = {{"descriptor", spec}};
  vocab::LearnedVocabulary learned = run_stage([&](StageObserver& observer) {
    return vocab::learn_vocabulary(m, spec, descriptor_provenance, o, observer);
  });
  auto result = std::make_shared<PyVocabulary>();
  result->vocabulary = std::move(learned.vocabulary);
  result->provenance = std::move(learned.provenance);
  result->provenance["command"] = "python: featpipe.Vocabulary.fit";
  return result;
}

py::array_t<float> encode(const PyVocabulary& v, const py::handle& images, const std::string& encoding,
                          const py::object& pyramid, const std::optional<std::string>& pool,
                          const std::optional<std::string>& norm,
                          const std::optional<std::string>& kernel_map, int kernel_order, int soft_neighbours,
                          double soft_beta, int llc_knn, double llc_beta, const py::object& threads,
                          bool rgb) {
  pipelines::EncodingChoice choice;
  choice.encoding = encoding;
  choice.pyramid = py::str(pyramid).cast<std::string>();  // "1:2:4", or 2 for one level
  choice.pool = pool;
  choice.norm = norm;
  choice.kernel_map = kernel_map;
  choice.kernel_order = kernel_order;
  choice.soft_neighbours = soft_neighbours;
  choice.soft_beta = soft_beta;
  choice.llc_knn = llc_knn;
  choice.llc_beta = llc_beta;
  const vocab::EncodingParams params = pipelines::encoding_params(choice, pipelines::OptionStyle::python);
  const auto encoder =
      pipelines::make_image_encoder(v.vocabulary, params, "vocabulary", pipelines::OptionStyle::python);
  return extract_images(*encoder, images, threads, rgb, "vocabulary");
}

}  // namespace

void bind_vocab(py::module_& m) {
  py::class_<PyVocabulary, std::shared_ptr<PyVocabulary>>(m, "Vocabulary",
                                                          R"doc(A visual vocabulary: k-means words
or a diagonal GMM over local descriptors, with the whitening learned beside them and the descriptor spec
they were learned from, so encoding always computes the same descriptor. The same store as
`featpipe vocab --out V.h5` (save / load).)doc")
      .def_static("fit", &fit, py::arg("descriptors"), py::arg("k"), py::kw_only(),
                  py::arg("descriptor") = py::none(), py::arg("method") = "kmeans",
                  py::arg("whiten") = py::none(), py::arg("zca_eps") = 0.1f, py::arg("patch_norm") = false,
                  py::arg("patch_eps") = 10.0f, py::arg("pca") = 0, py::arg("iterations") = 0,
                  py::arg("tolerance") = -1.0, py::arg("seed") = 0, py::arg("block") = 4096,
                  py::arg("threads") = py::none(),
                  R"doc(Learns k words from descriptors, as `featpipe vocab` does from a descriptor store.

descriptors: what featpipe.descriptors() returned, or a float32 (M, D) array with descriptor=SPEC naming
the spec its rows were made with (copied once: whitening works in place). method: "kmeans" or "gmm".
whiten: None or "zca" (zca_eps); patch_norm: normalise each descriptor first (patch_eps). pca: project on
that many principal components before the words (0: none; not with whiten="zca"). iterations: Lloyd
iterations / EM steps (0: 100). The same rows, options and seed give the command's bits for any threads.)doc")
      .def_static(
          "load",
          [](const std::filesystem::path& path) {
            auto v = std::make_shared<PyVocabulary>();
            v->vocabulary = vocab::load_vocabulary(path.string());
            v->provenance = vocab::vocabulary_provenance(path.string());
            return v;
          },
          py::arg("path"), "Reads a vocabulary store (`featpipe vocab --out`, or save()).")
      .def(
          "save",
          [](const PyVocabulary& v, const std::filesystem::path& path) {
            vocab::save_vocabulary(path.string(), v.vocabulary, v.provenance);
          },
          py::arg("path"), "Writes the vocabulary store, which `featpipe encode --vocab` reads.")
      .def(
          "encode", &encode, py::arg("images"), py::kw_only(), py::arg("encoding") = "bow",
          py::arg("pyramid") = "1", py::arg("pool") = py::none(), py::arg("norm") = py::none(),
          py::arg("kernel_map") = py::none(), py::arg("kernel_order") = 1, py::arg("soft_neighbours") = 5,
          py::arg("soft_beta") = 0.0, py::arg("llc_knn") = 5, py::arg("llc_beta") = 1e-4,
          py::arg("threads") = py::none(), py::arg("rgb") = true,
          R"doc(Encodes images against the vocabulary, as `featpipe encode` does: the vocabulary's descriptor,
the encoding (bow, soft, vlad, fisher, triangle, llc), pooled over the spatial pyramid ("1:2:4", or "1:2:3x1": a level is S or rows x columns RxC; pool:
"sum" or "max", None: max for llc, sum otherwise), each cell
normalised (norm: e.g. "l1", "power+l2"; None: the encoding's default), then the homogeneous kernel map
(kernel_map: e.g. "chi2"). images as for featpipe.extract. Returns float32 (N, D), or (D,) for one image.)doc")
      .def_property_readonly("k", [](const PyVocabulary& v) { return v.vocabulary.k(); })
      .def_property_readonly("dim", [](const PyVocabulary& v) { return v.vocabulary.dim(); })
      .def_property_readonly("method",
                             [](const PyVocabulary& v) { return vocab::to_string(v.vocabulary.method); })
      .def_property_readonly("descriptor", [](const PyVocabulary& v) { return v.vocabulary.descriptor; })
      .def_property_readonly(
          "centres", [](const PyVocabulary& v) { return copy_matrix(v.vocabulary.centres); },
          "k x d words (GMM means), in whitened space (a copy)")
      .def_property_readonly("variances",
                             [](const PyVocabulary& v) { return copy_matrix(v.vocabulary.variances); })
      .def_property_readonly("weights",
                             [](const PyVocabulary& v) {
                               const Eigen::VectorXf& w = v.vocabulary.weights;
                               return py::array_t<float>(w.size(), w.data());
                             })
      .def_property_readonly(
          "history", [](const PyVocabulary& v) { return v.vocabulary.history; },
          "energy per k-means iteration, or log-likelihood per EM step")
      .def_property_readonly("distortion", [](const PyVocabulary& v) { return v.vocabulary.distortion; })
      .def_property_readonly("provenance_json", [](const PyVocabulary& v) { return v.provenance.dump(); })
      .def("__repr__", [](const PyVocabulary& v) {
        return "<featpipe.Vocabulary " + vocab::to_string(v.vocabulary.method) +
               " k=" + std::to_string(v.vocabulary.k()) + " of " + std::to_string(v.vocabulary.dim()) +
               "-d " + v.vocabulary.descriptor + ">";
      });
}

}  // namespace featpipe::python
