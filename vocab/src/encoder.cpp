#include "featpipe/vocab/encoder.h"

#include <algorithm>
#include <stdexcept>

#include "coder.h"
#include "featpipe/core/format.h"

namespace featpipe::vocab {
namespace {

std::unique_ptr<const Coder> make_coder(const Vocabulary& v, const EncoderParams& p) {
  switch (p.encoding) {
    case EncodingKind::bow:
      return make_bow_coder(v);
    case EncodingKind::soft:
      return make_soft_coder(v, p.soft_neighbours, p.soft_beta);
    case EncodingKind::vlad:
      return make_vlad_coder(v);
    case EncodingKind::fisher:
      return make_fisher_coder(v);
    case EncodingKind::triangle:
      return make_triangle_coder(v);
    case EncodingKind::llc:
      return make_llc_coder(v, p.llc_knn, p.llc_beta);
  }
  throw std::invalid_argument("unknown encoding");
}

features::PyramidParams pyramid_params(const EncoderParams& p) {
  features::PyramidParams pyramid;
  pyramid.levels = p.pyramid;
  return pyramid;
}

EncoderParams checked(EncoderParams params) {
  if (auto error = validate(params)) throw std::invalid_argument(*error);
  return params;
}

}  // namespace

const Registry<EncodingKind>& encoding_registry() {
  const EncoderParams d;
  static const Registry<EncodingKind> registry(
      "encoding",
      {{"bow", "hard assignment: counts of descriptors per nearest word", {}, EncodingKind::bow},
       {"soft",
        "localized soft assignment: the nearest words share each descriptor",
        {{"soft-neighbours", std::to_string(d.soft_neighbours), "words sharing each descriptor"},
         {"soft-beta", format_number(d.soft_beta), "1 / squared distance scale; 0: from the vocabulary"}},
        EncodingKind::soft},
       {"vlad", "sums of residuals to the nearest word (Jegou et al. 2010)", {}, EncodingKind::vlad},
       {"fisher",
        "Fisher vector of a diagonal GMM (Perronnin et al. 2010); needs a gmm vocabulary",
        {},
        EncodingKind::fisher},
       {"triangle",
        "max(0, mean distance - distance to each word) (Coates, Lee & Ng 2011)",
        {},
        EncodingKind::triangle},
       {"llc",
        "locality-constrained linear coding, max pooled (Wang et al. 2010)",
        {{"llc-knn", std::to_string(d.llc_knn), "nearest words reconstructing each descriptor"},
         {"llc-beta", format_number(d.llc_beta), "regularisation, relative to trace(C)"}},
        EncodingKind::llc}});
  return registry;
}

EncodingKind parse_encoding(const std::string& name) { return encoding_registry().at(name).value; }

std::string to_string(EncodingKind kind) { return encoding_registry().entry_of(kind).name; }

Pooling parse_pooling(const std::string& name) {
  if (name == "sum") return Pooling::sum;
  if (name == "max") return Pooling::max;
  throw std::invalid_argument("unknown pooling '" + name + "'; use sum or max");
}

std::string to_string(Pooling pooling) { return pooling == Pooling::sum ? "sum" : "max"; }

Pooling default_pooling(EncodingKind kind) { return kind == EncodingKind::llc ? Pooling::max : Pooling::sum; }

std::optional<std::string> validate(const EncoderParams& params) {
  if (auto error = features::validate(pyramid_params(params))) return error;
  if (params.soft_neighbours < 1 || params.soft_neighbours > kMaxSoftNeighbours) {
    return "soft assignment shares a descriptor among 1 to " + std::to_string(kMaxSoftNeighbours) +
           " neighbours, not " + std::to_string(params.soft_neighbours);
  }
  if (!(params.soft_beta >= 0)) return "soft assignment beta must be >= 0 (0: from the vocabulary)";
  if (params.llc_knn < 1) {
    return "llc reconstructs each descriptor from at least 1 nearest word, not " +
           std::to_string(params.llc_knn);
  }
  if (!(params.llc_beta > 0)) return "llc beta must be > 0, got " + format_number(params.llc_beta);
  if (params.pooling == Pooling::max &&
      (params.encoding == EncodingKind::vlad || params.encoding == EncodingKind::fisher)) {
    return to_string(params.encoding) +
           " codes are signed residuals, which max pooling would bias; use sum pooling";
  }
  return std::nullopt;
}

Encoder::Encoder(const Vocabulary& vocabulary, EncoderParams params)
    : params_(checked(std::move(params))),
      pyramid_(pyramid_params(params_)),
      whitening_(vocabulary.whitening),
      pca_(vocabulary.pca),
      dim_in_(vocabulary.input_dim()),
      coder_(make_coder(vocabulary, params_)) {}

Encoder::~Encoder() = default;

std::size_t Encoder::cell_width() const { return coder_->cell_width(); }

void Encoder::encode(const features::LocalFeatures& local, cv::Size image, float* out) const {
  const std::size_t n = local.size(), levels = pyramid_.levels();
  if (local.descriptors.size() != n * dim_in_) {
    throw std::invalid_argument("encoder: descriptors are not " + std::to_string(dim_in_) +
                                " wide, the width the vocabulary was learned on");
  }
  std::fill(out, out + dim(), 0.0f);
  if (n == 0) return;
  thread_local RowMatrix<float> x;
  thread_local std::vector<std::size_t> cell, count;
  x = rows_view(local.descriptors.data(), n, dim_in_);
  whitening_.apply(x);
  if (!pca_.identity()) {
    thread_local RowMatrix<float> projected;
    projected.resize(n, pca_.output_dim());
    pca_.project(x, projected);
    x.swap(projected);
  }
  cell.resize(n * levels);
  count.assign(cells(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t l = 0; l < levels; ++l) {
      cell[i * levels + l] = pyramid_.cell_at(image, l, local.frames[i].x, local.frames[i].y);
      ++count[cell[i * levels + l]];
    }
  }
  const std::size_t tile = coder_->tile_rows();
  for (std::size_t begin = 0; begin < n; begin += tile) {
    const std::size_t rows = std::min(tile, n - begin);
    coder_->add(x.middleRows(begin, rows), cell.data() + begin * levels, levels, params_.pooling, out);
  }
  coder_->finish(count.data(), cells(), out);
}

}  // namespace featpipe::vocab
