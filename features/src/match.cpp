#include "featpipe/features/match.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace featpipe::features {
namespace {

/// Descriptors scaled to unit length, one per column (dim x n: the row-major input read as it lies). Zero
/// descriptors stay zero, have similarity 0 with everything, and are flagged in `zero`.
Eigen::MatrixXf unit_columns(const float* rows, std::size_t n, std::size_t dim, std::vector<bool>& zero) {
  Eigen::MatrixXf m = Eigen::Map<const Eigen::MatrixXf>(rows, Eigen::Index(dim), Eigen::Index(n));
  zero.assign(n, false);
  for (Eigen::Index i = 0; i < m.cols(); ++i) {
    const float norm = m.col(i).norm();
    if (norm > 0) {
      m.col(i) /= norm;
    } else {
      zero[i] = true;
    }
  }
  return m;
}

float distance(float similarity) { return std::sqrt(std::max(0.0f, 2.0f - 2.0f * similarity)); }

/// Similarities of a block of rows of a against all of b, a block at a time so memory stays bounded.
constexpr Eigen::Index kBlockRows = 512;

}  // namespace

std::optional<std::string> validate(const MatchParams& p) {
  if (!(p.ratio > 0 && p.ratio <= 1)) return "ratio must be in (0, 1]";
  if (!(p.min_similarity >= -1 && p.min_similarity <= 1)) return "min_similarity must be in [-1, 1]";
  return std::nullopt;
}

std::optional<std::string> validate(const RepeatParams& p) {
  if (!(p.min_similarity >= -1 && p.min_similarity <= 1)) return "min_similarity must be in [-1, 1]";
  if (!(p.min_separation >= 0)) return "min_separation must be >= 0";
  return std::nullopt;
}

std::vector<Match> match_descriptors(const float* a, std::size_t na, const float* b, std::size_t nb,
                                     std::size_t dim, const MatchParams& params) {
  if (auto error = validate(params)) throw std::invalid_argument("match: " + *error);
  std::vector<Match> matches;
  if (na == 0 || nb == 0) return matches;
  std::vector<bool> zero_a, zero_b;
  const Eigen::MatrixXf ua = unit_columns(a, na, dim, zero_a), ub = unit_columns(b, nb, dim, zero_b);
  Eigen::MatrixXf block, similarity;
  for (Eigen::Index begin = 0; begin < ua.cols(); begin += kBlockRows) {
    const Eigen::Index count = std::min(kBlockRows, ua.cols() - begin);
    block = ua.middleCols(begin, count).transpose();
    similarity.noalias() = block * ub;
    for (Eigen::Index r = 0; r < count; ++r) {
      const std::size_t i = begin + r;
      if (zero_a[i]) continue;
      float best = -std::numeric_limits<float>::infinity(), second = best;
      std::size_t best_j = 0;
      for (std::size_t j = 0; j < nb; ++j) {
        if (zero_b[j]) continue;
        const float s = similarity(r, Eigen::Index(j));
        if (s > best) {
          second = best;
          best = s;
          best_j = j;
        } else if (s > second) {
          second = s;
        }
      }
      if (best < params.min_similarity || best == -std::numeric_limits<float>::infinity()) continue;
      if (second != -std::numeric_limits<float>::infinity() &&
          !(distance(best) < params.ratio * distance(second))) {
        continue;
      }
      matches.push_back({i, best_j, best});
    }
  }
  return matches;
}

std::vector<Match> find_repeats(const LocalFeatures& features, std::size_t dim, const RepeatParams& params) {
  if (auto error = validate(params)) throw std::invalid_argument("repeats: " + *error);
  const std::size_t n = features.size();
  std::vector<bool> zero;
  const Eigen::MatrixXf u = unit_columns(features.descriptors.data(), n, dim, zero);
  std::vector<Match> best(n, Match{0, 0, -std::numeric_limits<float>::infinity()});
  Eigen::MatrixXf block, similarity;
  for (Eigen::Index begin = 0; begin < u.cols(); begin += kBlockRows) {
    const Eigen::Index count = std::min(kBlockRows, u.cols() - begin);
    block = u.middleCols(begin, count).transpose();
    similarity.noalias() = block * u;
    for (Eigen::Index r = 0; r < count; ++r) {
      const std::size_t i = begin + r;
      if (zero[i]) continue;
      const Frame& fi = features.frames[i];
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i || zero[j]) continue;
        const Frame& fj = features.frames[j];
        const float separation =
            static_cast<float>(params.min_separation) * 12.0f * std::max(fi.scale, fj.scale);
        if (std::hypot(fi.x - fj.x, fi.y - fj.y) < separation) continue;
        const float s = similarity(r, Eigen::Index(j));
        if (s > best[i].similarity) best[i] = {i, j, s};
      }
    }
  }
  std::vector<Match> repeats;
  for (std::size_t i = 0; i < n; ++i) {
    const Match& m = best[i];
    if (m.similarity < params.min_similarity) continue;
    // A pair found from both ends is reported once, from its smaller index.
    const Match pair{std::min(m.query, m.train), std::max(m.query, m.train), m.similarity};
    const bool reported_from_other_end = m.train < i && best[m.train].train == i;
    if (!reported_from_other_end) repeats.push_back(pair);
  }
  std::sort(repeats.begin(), repeats.end(), [](const Match& x, const Match& y) {
    return std::tie(x.query, x.train) < std::tie(y.query, y.train);
  });
  return repeats;
}

}  // namespace featpipe::features
