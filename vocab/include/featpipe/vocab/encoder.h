#pragma once
// Encoders: one image's local descriptors -> per-descriptor codes against a vocabulary -> pooled over the
// cells of a spatial pyramid (Lazebnik, Schmid & Ponce 2006; features/spatial_pyramid.h). Per cell:
//   bow       hard assignment: count of descriptors whose nearest word is k              width k
//   soft      localized soft assignment (Liu, Wang & Liu, "In defense of soft-assignment coding", ICCV
//             2011): the `soft_neighbours` nearest words share each descriptor with weights
//             exp(-beta ||x - c||^2), normalised to 1                                       width k
//   vlad      sum of residuals x - c to the nearest word (Jegou et al., CVPR 2010)          width k * d
//   fisher    Fisher vector of a diagonal GMM (Perronnin, Sanchez & Mensink, ECCV 2010): per component
//             u_k = sum gamma (x - mu) / sigma / (n sqrt(w_k)) and v_k = sum gamma ((x - mu)^2 / sigma^2 - 1)
//             / (n sqrt(2 w_k)), n the descriptors of the cell, laid out [u_1 ... u_k v_1 ... v_k]
//             as VLFeat's vl_fisher_encode                                              width 2 k d
//   triangle  Coates, Lee & Ng (AISTATS 2011): f_k = max(0, mean_j z_j - z_k), z_j = ||x - c_j||   width k
//   llc       locality-constrained linear coding (Wang et al., CVPR 2010), its approximated solution: the
//             `llc_knn` nearest words B reconstruct x with c = C \ 1 / sum, C = (B - 1 x^T)(B - 1 x^T)^T +
//             beta trace(C) I; max pooled by default, as in the paper                       width k
// Pooling is the sum (or, for bow, soft, triangle and llc, the maximum) over the descriptors whose frame
// centre falls in the cell; a cell without descriptors stays 0.
// Layout of the output: the pyramid's levels in the order given, each level's cells row-major (a level of
// R rows by C columns, `RxC` in a spec, `S` meaning SxS: cell (column cx, row cy) is block cy * C + cx, rows
// counted down the image height, columns across its width), cell_width() values per cell. So pyramid
// 1:2:3x1 gives 1 + 4 + 3 = 8 blocks: the whole image; the top-left, top-right, bottom-left, bottom-right
// quarters; the top, middle and bottom horizontal stripes.
#include <cstddef>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/core/registry.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/spatial_pyramid.h"
#include "featpipe/vocab/vocabulary.h"

namespace featpipe::vocab {

enum class EncodingKind { bow, soft, vlad, fisher, triangle, llc };

/// The most words soft assignment shares one descriptor among.
inline constexpr int kMaxSoftNeighbours = 64;
enum class Pooling { sum, max };

/// The encoding names (bow, soft, vlad, fisher, triangle, llc), their parameters and defaults.
const Registry<EncodingKind>& encoding_registry();

/// An encoding_registry() name, and "sum" | "max"; std::invalid_argument listing the known names otherwise.
EncodingKind parse_encoding(const std::string& name);
std::string to_string(EncodingKind kind);
Pooling parse_pooling(const std::string& name);
std::string to_string(Pooling pooling);
/// The pooling an encoding uses unless told otherwise: max for llc (as Wang et al. pool), sum for the rest.
Pooling default_pooling(EncodingKind kind);

struct EncoderParams {
  EncodingKind encoding = EncodingKind::bow;
  Pooling pooling = Pooling::sum;
  std::vector<features::PyramidLevel> pyramid = {{1, 1}};  // levels, e.g. 1x1, 2x2, 3x1 (rows x columns)
  int soft_neighbours = 5;  // soft: words sharing each descriptor, at most kMaxSoftNeighbours
  double soft_beta = 0;     // soft: 1 / squared distance scale; 0: 1 / the vocabulary's distortion
  int llc_knn = 5;          // llc: nearest words reconstructing each descriptor, at most k
  double llc_beta = 1e-4;   // llc: regularisation, relative to trace(C)
};

/// A valid pyramid, soft_neighbours in [1, kMaxSoftNeighbours], soft_beta >= 0, llc_knn >= 1 (at most the
/// vocabulary's k: checked by Encoder), llc_beta > 0, max pooling only for bow, soft, triangle and llc.
std::optional<std::string> validate(const EncoderParams& params);

/// What varies between encodings (private: src/coder.h).
class Coder;

class Encoder {
 public:
  /// Throws std::invalid_argument with validate()'s message, or when the vocabulary cannot serve the
  /// encoding (fisher needs a gmm vocabulary; soft needs a distortion or an explicit beta; llc_knn > k).
  Encoder(const Vocabulary& vocabulary, EncoderParams params);
  ~Encoder();
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  const EncoderParams& params() const { return params_; }
  /// Values per pyramid cell (see the table above).
  std::size_t cell_width() const;
  std::size_t cells() const { return pyramid_.cells(); }
  std::size_t dim() const { return cells() * cell_width(); }

  /// Writes dim() values: the cells level by level (row-major within a level), cell_width() values each.
  /// `local` holds descriptors as the vocabulary's descriptor extractor gives them (the vocabulary's
  /// whitening and PCA are applied here) and their frames in an image of size `image`. Requires descriptors
  /// of the vocabulary's input_dim() (std::invalid_argument otherwise). Thread-safe.
  void encode(const features::LocalFeatures& local, cv::Size image, float* out) const;

 private:
  EncoderParams params_;
  features::SpatialPyramid pyramid_;
  Whitening whitening_;
  Pca pca_;  // after the whitening, before the coder
  std::size_t dim_in_;
  std::unique_ptr<const Coder> coder_;
};

}  // namespace featpipe::vocab
