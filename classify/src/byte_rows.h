#pragma once
// Private: training rows of 8-bit codes. Raw pixel features are pixel values k in [0, 255] over one
// divisor (featpipe's raw features store k * (1 / 255), other tools k / 255). Held as the bytes k they
// take a quarter of the memory, and an epoch, which streams every row through the kernels, reads a
// quarter of the bytes. Nothing is lost: a source is held as bytes only when every value is k / divisor
// as float arithmetic gives it, float(k) * (1 / divisor) or float(k) / divisor. The kernels turn k back
// into a float exactly and fold the divisor and the standardisation into the weights (BatchGradient), so
// the model and everything it is trained on stay float32.
#include <cstdint>
#include <optional>
#include <vector>

#include "featpipe/classify/row_source.h"
#include "featpipe/classify/standardizer.h"
#include "huge_page_buffer.h"

namespace featpipe::classify {

struct ByteRows {
  HugePageBuffer<uint8_t> codes;  // [rows, dim] row-major
  uint64_t rows = 0, dim = 0;
  float divisor = 0;                  // a row's values are codes / divisor
  std::vector<uint64_t> sum, sum_sq;  // per column: the sum of the codes and of their squares

  const uint8_t* row(uint64_t r) const { return codes.data() + r * dim; }
};

/// The divisors tried on the first block of rows, in order: 255 (pixels scaled to [0, 1]) and 1 (pixels
/// as they are); the first that fits it holds for the whole source. (A source whose first block fits both,
/// holding only 0 and 1, and whose later rows fit only 1 is trained as floats.)
inline constexpr float kByteDivisors[] = {255.0f, 1.0f};

/// The source as codes, read by blocks of about block_bytes of floats (on OpenMP's threads when the source
/// has its rows in place); nullopt as soon as a value is not k / divisor for an integer k in [0, 255] (NaN
/// and infinity never are; -0 is code 0), and the rest of the source is then not read.
std::optional<ByteRows> read_byte_rows(const RowSource& source, uint64_t block_bytes = uint64_t(1) << 20);

/// The mean and population std of every column of the rows' values, from the exact code sums, as
/// fit_standardizer defines them (std 1 for a column of zero variance).
Standardizer byte_standardizer(const ByteRows& rows);

/// How the model sees a column of byte rows: z = code * scale + offset, the divisor and the
/// standardisation s in one multiply-add.
struct ByteAffine {
  std::vector<float> scale, offset;  // [dim]
};
ByteAffine byte_affine(const ByteRows& rows, const Standardizer& s);

}  // namespace featpipe::classify
