#pragma once
// Penalties on the weights W (never the bias). The objective is data loss + penalty.
#include <optional>
#include <string>
#include <vector>

#include "featpipe/core/matrix.h"
#include "featpipe/core/registry.h"

namespace featpipe::classify {

enum class RegKind { none, l2, l1, elastic };

struct RegParams {
  RegKind kind = RegKind::l2;
  double lambda = 1e-4;   // strength
  double l1_ratio = 0.5;  // elastic: share of the L1 term, the rest is L2
};

std::optional<std::string> validate(const RegParams& p);

/// The regulariser names (none, l2, l1, elastic) with their parameters.
const Registry<RegKind>& regularizer_registry();

/// A regularizer_registry() name; std::invalid_argument listing the names otherwise.
RegKind parse_reg(const std::string& name);
std::string to_string(RegKind kind);
std::vector<RegKind> all_regs();

/// Each returns the penalty and adds its gradient to dW (same shape as W).
/// lambda * sum W^2
template <typename T>
T l2_penalty(ConstMatrixView<T> W, T lambda, MatrixView<T> dW);
/// lambda * sum |W| (subgradient 0 at W = 0)
template <typename T>
T l1_penalty(ConstMatrixView<T> W, T lambda, MatrixView<T> dW);
/// lambda * (l1_ratio * sum |W| + (1 - l1_ratio) * sum W^2)
template <typename T>
T elastic_net_penalty(ConstMatrixView<T> W, T lambda, T l1_ratio, MatrixView<T> dW);

/// Dispatches on p.kind; 0 and dW untouched for none.
template <typename T>
T penalty(const RegParams& p, ConstMatrixView<T> W, MatrixView<T> dW);

}  // namespace featpipe::classify
