#include "featpipe/vocab/vocabulary.h"

#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/data/store.h"

namespace featpipe::vocab {
namespace {

constexpr const char* kVocabKind = "vocab";

nlohmann::json whitening_json(const WhiteningParams& p) {
  return {{"normalize_patches", p.normalize_patches},
          {"patch_eps", p.patch_eps},
          {"zca", p.zca},
          {"zca_eps", p.zca_eps}};
}

WhiteningParams whitening_params(const nlohmann::json& j) {
  WhiteningParams p;
  p.normalize_patches = j.at("normalize_patches").get<bool>();
  p.patch_eps = j.at("patch_eps").get<float>();
  p.zca = j.at("zca").get<bool>();
  p.zca_eps = j.at("zca_eps").get<float>();
  return p;
}

void check_shapes(const Vocabulary& v) {
  const auto k = v.centres.rows(), d = v.centres.cols();
  if (k == 0 || d == 0) throw std::invalid_argument("vocabulary has no centres");
  if (v.method == VocabMethod::gmm &&
      (v.variances.rows() != k || v.variances.cols() != d || v.weights.size() != k)) {
    throw std::invalid_argument("GMM vocabulary: variances and weights do not match the means");
  }
  if (!v.pca.identity() && v.pca.output_dim() != std::size_t(d)) {
    throw std::invalid_argument("vocabulary: the PCA projection does not match the centres' width");
  }
  if (v.whitening.params().zca && std::size_t(v.whitening.mean().size()) != v.input_dim()) {
    throw std::invalid_argument("vocabulary: the whitening does not match the centres' width");
  }
}

RowMatrix<float> read_matrix(const data::StoreReader& r, const std::string& name) {
  const data::DatasetInfo info = r.info(name);
  if (info.shape.size() != 2) throw InputError(r.path(), name + " is not a matrix");
  return Eigen::Map<const RowMatrix<float>>(r.read_floats(name).data(), info.shape[0], info.shape[1]);
}

}  // namespace

VocabMethod parse_vocab_method(const std::string& name) {
  if (name == "kmeans") return VocabMethod::kmeans;
  if (name == "gmm") return VocabMethod::gmm;
  throw std::invalid_argument("unknown method '" + name + "'; use kmeans or gmm");
}

std::string to_string(VocabMethod method) { return method == VocabMethod::kmeans ? "kmeans" : "gmm"; }

Gmm Vocabulary::gmm() const {
  if (method != VocabMethod::gmm)
    throw std::invalid_argument("a k-means vocabulary has no mixture; build one with --method gmm");
  return {centres, variances, weights};
}

void save_vocabulary(const std::string& path, const Vocabulary& v, const nlohmann::json& provenance) {
  check_shapes(v);
  const uint64_t k = v.k(), d = v.dim(), d_in = v.input_dim();
  nlohmann::json p = provenance;
  p["method"] = to_string(v.method);
  p["k"] = k;
  p["dim"] = d;
  p["descriptor"] = v.descriptor;
  p["whitening"] = whitening_json(v.whitening.params());
  p["pca"] = v.pca.output_dim();
  p["distortion"] = v.distortion;
  p["descriptors"] = v.descriptor_provenance;

  data::StoreWriter w(path, kVocabKind, p);
  w.set_attribute("method", to_string(v.method));
  w.set_attribute("descriptor", v.descriptor);
  w.write("/centres", v.centres.data(), {k, d});
  if (v.method == VocabMethod::gmm) {
    w.write("/gmm/variances", v.variances.data(), {k, d});
    w.write("/gmm/weights", v.weights.data(), {k});
  }
  if (v.whitening.params().zca) {
    w.write("/whitening/mean", v.whitening.mean().data(), {d_in});
    w.write("/whitening/transform", v.whitening.transform().data(), {d_in, d_in});
  }
  if (!v.pca.identity()) {
    w.write("/pca/mean", v.pca.mean().data(), {d_in});
    w.write("/pca/projection", v.pca.projection().data(), {d, d_in});
  }
  if (!v.history.empty()) {
    const char* name = v.method == VocabMethod::kmeans ? "/history/energy" : "/history/log_likelihood";
    w.write(name, v.history.data(), {v.history.size()});
  }
  w.commit();
}

Vocabulary load_vocabulary(const std::string& path) {
  const data::StoreReader r(path);
  if (r.kind() != kVocabKind) {
    throw InputError(path,
                     "is a '" + r.kind() + "' store, not a vocabulary; build one with `featpipe vocab`");
  }
  const nlohmann::json p = r.provenance();
  Vocabulary v;
  try {
    v.method = parse_vocab_method(p.at("method").get<std::string>());
    v.descriptor = p.at("descriptor").get<std::string>();
    v.distortion = p.at("distortion").get<double>();
    v.descriptor_provenance = p.value("descriptors", nlohmann::json::object());
    const WhiteningParams wp = whitening_params(p.at("whitening"));
    v.centres = read_matrix(r, "/centres");
    if (v.method == VocabMethod::gmm) {
      v.variances = read_matrix(r, "/gmm/variances");
      const std::vector<float> weights = r.read_floats("/gmm/weights");
      v.weights = Eigen::Map<const Eigen::VectorXf>(weights.data(), weights.size());
    }
    if (wp.zca) {
      const std::vector<float> mean = r.read_floats("/whitening/mean");
      v.whitening = Whitening(wp, Eigen::Map<const Eigen::RowVectorXf>(mean.data(), mean.size()),
                              read_matrix(r, "/whitening/transform"));
    } else {
      v.whitening = Whitening(wp, {}, {});
    }
    if (r.has("/pca/projection")) {
      const std::vector<float> mean = r.read_floats("/pca/mean");
      v.pca = Pca(Eigen::Map<const Eigen::RowVectorXf>(mean.data(), mean.size()),
                  read_matrix(r, "/pca/projection"));
    }
    for (const char* name : {"/history/energy", "/history/log_likelihood"}) {
      if (r.has(name)) v.history = r.read_doubles(name);
    }
    check_shapes(v);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, std::string("vocabulary provenance is incomplete (") + e.what() + ")");
  } catch (const std::invalid_argument& e) {
    throw InputError(path, e.what());
  }
  return v;
}

nlohmann::json vocabulary_provenance(const std::string& path) { return data::StoreReader(path).provenance(); }

}  // namespace featpipe::vocab
