#pragma once
// Descriptor matching by cosine similarity: between two images with Lowe's ratio test, and within one image
// to find its repeated structures (a frame matched to others of the same image, away from itself).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/features/descriptor.h"

namespace featpipe::features {

struct Match {
  std::size_t query = 0;  // row of the first set
  std::size_t train = 0;  // row of the second set (of the same set for repeats)
  float similarity = 0;   // cosine of the angle between the two descriptors
};

struct MatchParams {
  double ratio = 0.8;           // Lowe's test: best distance < ratio * second-best distance
  double min_similarity = 0.0;  // and at least this cosine similarity
};

struct RepeatParams {
  double min_similarity = 0.9;  // cosine similarity of a repeat
  double min_separation = 1.0;  // in descriptor widths (12 * the larger frame scale): repeats do not overlap
};

/// ratio in (0, 1], min_similarity in [-1, 1].
std::optional<std::string> validate(const MatchParams& params);
/// min_similarity in [-1, 1], min_separation >= 0.
std::optional<std::string> validate(const RepeatParams& params);

/// For each row of a (na x dim) its most similar row of b (nb x dim), kept when it passes the ratio test on
/// the distances between the unit-length descriptors, sqrt(2 - 2 cos), and the similarity threshold. With a
/// single row in b only the threshold applies. Rows of zeros never match. Sorted by query. Throws
/// std::invalid_argument when validate() fails.
std::vector<Match> match_descriptors(const float* a, std::size_t na, const float* b, std::size_t nb,
                                     std::size_t dim, const MatchParams& params);

/// For each frame, its most similar other frame at least min_separation away, kept when similar enough;
/// each pair once (query < train), sorted by query.
std::vector<Match> find_repeats(const LocalFeatures& features, std::size_t dim, const RepeatParams& params);

}  // namespace featpipe::features
