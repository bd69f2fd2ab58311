#pragma once
// Classification metrics from true and predicted labels.
#include <cstdint>
#include <vector>

#include "featpipe/core/matrix.h"

namespace featpipe::classify {

struct ClassificationReport {
  double accuracy = 0;
  std::vector<std::vector<int64_t>> confusion;  // [C][C]: row = true class, column = predicted
  std::vector<double> precision, recall, f1;    // [C]; 0 where undefined (no predictions / no samples)
  std::vector<int64_t> support;                 // [C]: true samples per class
};

/// std::invalid_argument when the lengths differ or a label is outside [0, classes).
ClassificationReport classification_report(Labels truth, Labels predicted, int classes);

/// Fraction of equal entries; 0 for empty input.
double accuracy(Labels truth, Labels predicted);

}  // namespace featpipe::classify
