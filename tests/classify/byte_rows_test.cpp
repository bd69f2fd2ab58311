// Training rows held as 8-bit codes (byte_rows.h): which sources read_byte_rows accepts (values k / 255
// as featpipe's raw pixels store them, k * (1 / 255), or as k / 255; or the integers 0 to 255) and rejects
// (any value, in any read block, that is not exactly such a k / divisor), the exact codes and column
// sums (also for rows in place in several spans, encoded on all threads, and for a mapped store), and that
// the standardisation from the code sums and the folded affine map agree with the float path's.
#include "../../classify/src/byte_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "featpipe/classify/standardizer.h"
#include "featpipe/classify/store_source.h"
#include "featpipe/core/matrix.h"
#include "featpipe/core/random.h"
#include "span_source.h"
#include "test_fixtures.h"

namespace featpipe::classify {
namespace {

/// How a value is made from its code k.
enum class Form { product, quotient, mixed };

float value_of(uint8_t k, float divisor, Form form, std::size_t i) {
  const bool product = form == Form::product || (form == Form::mixed && i % 3 != 0);
  return product ? static_cast<float>(k) * (1.0f / divisor) : static_cast<float>(k) / divisor;
}

/// Whether x is k / divisor, as either float expression, for some k in [0, 255].
bool is_code_value(float x, float divisor) {
  for (int k = 0; k < 256; ++k) {
    if (static_cast<float>(k) * (1.0f / divisor) == x || static_cast<float>(k) / divisor == x) return true;
  }
  return false;
}

/// Random codes [rows, dim], with the edges 255 and 0 in the first two rows (a first row of integers
/// that are all 0 or 1 would fit the divisor 255, which then holds for the whole source).
std::vector<uint8_t> random_codes(int rows, int dim, uint64_t seed) {
  random::Generator rng(seed, random::Stream::test);
  std::vector<uint8_t> codes(static_cast<std::size_t>(rows) * dim);
  for (uint8_t& k : codes) k = static_cast<uint8_t>(rng.next() % 256);
  for (int d = 0; d < dim && rows >= 2; ++d) {
    codes[d] = 255;
    codes[dim + d] = 0;
  }
  return codes;
}

RowMatrix<float> values_of(const std::vector<uint8_t>& codes, int rows, int dim, float divisor,
                           Form form = Form::product) {
  RowMatrix<float> x(rows, dim);
  for (std::size_t i = 0; i < codes.size(); ++i) x.data()[i] = value_of(codes[i], divisor, form, i);
  return x;
}

/// A source that is not in memory: read_byte_rows reads it through a buffer. Counts the rows read.
class CopySource final : public RowSource {
 public:
  explicit CopySource(const RowMatrix<float>& x) : x_(x) {}
  uint64_t rows() const override { return x_.rows(); }
  uint64_t dim() const override { return x_.cols(); }
  void read_rows(uint64_t begin, uint64_t count, float* out) const override {
    std::copy_n(x_.data() + begin * x_.cols(), count * x_.cols(), out);
    read_ += count;
  }
  uint64_t rows_read() const { return read_; }

 private:
  const RowMatrix<float>& x_;
  mutable std::atomic<uint64_t> read_{0};
};

void expect_codes_and_sums(const ByteRows& b, const std::vector<uint8_t>& codes, int rows, int dim,
                           float divisor) {
  ASSERT_EQ(b.rows, static_cast<uint64_t>(rows));
  ASSERT_EQ(b.dim, static_cast<uint64_t>(dim));
  EXPECT_EQ(b.divisor, divisor);
  for (int i = 0; i < rows * dim; ++i) ASSERT_EQ(b.codes.data()[i], codes[i]) << "value " << i;
  ASSERT_EQ(b.sum.size(), static_cast<std::size_t>(dim));
  ASSERT_EQ(b.sum_sq.size(), static_cast<std::size_t>(dim));
  for (int d = 0; d < dim; ++d) {
    uint64_t s = 0, s2 = 0;
    for (int r = 0; r < rows; ++r) {
      const uint64_t k = codes[static_cast<std::size_t>(r) * dim + d];
      s += k;
      s2 += k * k;
    }
    EXPECT_EQ(b.sum[d], s) << "column " << d;
    EXPECT_EQ(b.sum_sq[d], s2) << "column " << d;
  }
  for (int r = 0; r < rows; ++r) EXPECT_EQ(b.row(r), b.codes.data() + static_cast<std::size_t>(r) * dim);
}

TEST(ByteRows, ReadsPixelValuesAsTheirCodes) {
  // dims with and without a remainder past the SIMD vectors; block sizes from one row to everything
  for (Form form : {Form::product, Form::quotient, Form::mixed}) {
    for (int dim : {1, 5, 37, 784}) {
      const int rows = 53;
      const std::vector<uint8_t> codes = random_codes(rows, dim, dim);
      const RowMatrix<float> x = values_of(codes, rows, dim, 255.0f, form);
      const MatrixSource in_memory(x.data(), rows, dim);
      const CopySource copied(x);
      for (uint64_t block_bytes : {uint64_t(1), uint64_t(7) * dim * sizeof(float), uint64_t(1) << 20}) {
        for (const RowSource* s :
             {static_cast<const RowSource*>(&in_memory), static_cast<const RowSource*>(&copied)}) {
          const std::optional<ByteRows> b = read_byte_rows(*s, block_bytes);
          ASSERT_TRUE(b.has_value()) << "form " << int(form) << ", dim " << dim << ", block_bytes "
                                     << block_bytes;
          expect_codes_and_sums(*b, codes, rows, dim, 255.0f);
        }
      }
    }
  }
}

TEST(ByteRows, ReadsIntegersZeroTo255AsThemselves) {
  for (int dim : {3, 37}) {
    const int rows = 40;
    const std::vector<uint8_t> codes = random_codes(rows, dim, 100 + dim);
    const RowMatrix<float> x = values_of(codes, rows, dim, 1.0f);
    const MatrixSource s(x.data(), rows, dim);
    for (uint64_t block_bytes : {uint64_t(1), uint64_t(5) * dim * sizeof(float), uint64_t(1) << 20}) {
      const std::optional<ByteRows> b = read_byte_rows(s, block_bytes);
      ASSERT_TRUE(b.has_value()) << "dim " << dim << ", block_bytes " << block_bytes;
      expect_codes_and_sums(*b, codes, rows, dim, 1.0f);
    }
  }
}

TEST(ByteRows, EveryCodeRoundTrips) {
  // each of the 256 codes, in a vector lane and in the scalar tail, for both divisors and both forms
  for (float divisor : kByteDivisors) {
    for (Form form : {Form::product, Form::quotient}) {
      for (int dim : {256, 259}) {
        std::vector<uint8_t> codes(2 * dim);
        for (int i = 0; i < 2 * dim; ++i) codes[i] = static_cast<uint8_t>((i * 7 + i / dim) % 256);
        codes[0] = 255;  // divisor 1: a value above 1 so that 255 cannot fit
        const RowMatrix<float> x = values_of(codes, 2, dim, divisor, form);
        const MatrixSource s(x.data(), 2, dim);
        const std::optional<ByteRows> b = read_byte_rows(s);
        ASSERT_TRUE(b.has_value()) << "divisor " << divisor << ", dim " << dim;
        expect_codes_and_sums(*b, codes, 2, dim, divisor);
      }
    }
  }
}

TEST(ByteRows, NegativeZeroIsCodeZero) {
  RowMatrix<float> x = values_of(random_codes(9, 19, 3), 9, 19, 255.0f);
  x(4, 3) = -0.0f;   // in a vector
  x(7, 18) = -0.0f;  // in the tail
  const MatrixSource s(x.data(), 9, 19);
  for (uint64_t block_bytes : {uint64_t(1), uint64_t(1) << 20}) {
    const std::optional<ByteRows> b = read_byte_rows(s, block_bytes);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->row(4)[3], 0);
    EXPECT_EQ(b->row(7)[18], 0);
  }
}

TEST(ByteRows, RejectsAnyValueThatIsNotACode) {
  const int rows = 60, dim = 37;
  const std::vector<uint8_t> codes = random_codes(rows, dim, 7);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (float divisor : kByteDivisors) {
    const RowMatrix<float> good = values_of(codes, rows, dim, divisor);
    {
      const MatrixSource s(good.data(), rows, dim);
      ASSERT_TRUE(read_byte_rows(s, 4 * dim * sizeof(float)).has_value()) << "divisor " << divisor;
    }
    int rejected = 0;
    // the first row, a vector lane, the scalar tail of a later block, the last value
    for (auto [r, d] : {std::pair{0, 0}, std::pair{17, 2}, std::pair{33, 36}, std::pair{rows - 1, dim - 1}}) {
      const float v = good(r, d);
      const float up = std::nextafter(v, inf), down = std::nextafter(v, -inf);
      const float bad_values[] = {up,
                                  down,
                                  std::nextafter(up, inf),
                                  std::nextafter(down, -inf),
                                  -v - 1.0f / divisor,  // negative
                                  -1.0f / divisor,
                                  256.0f / divisor,
                                  256.0f * (1.0f / divisor),
                                  nan,
                                  inf,
                                  -inf,
                                  0.5f / divisor};
      for (float bad : bad_values) {
        // one ulp off k * (1 / divisor) may be k / divisor, which is a code
        if (is_code_value(bad, divisor)) continue;
        RowMatrix<float> x = good;
        x(r, d) = bad;
        const MatrixSource in_memory(x.data(), rows, dim);
        const CopySource copied(x);
        // blocks of 4 rows: row 33 is in the ninth block; and one block for everything
        for (uint64_t block_bytes : {uint64_t(4) * dim * sizeof(float), uint64_t(1) << 20}) {
          EXPECT_FALSE(read_byte_rows(in_memory, block_bytes).has_value())
              << "divisor " << divisor << ", value " << bad << " for " << v << " at (" << r << ", " << d
              << "), block_bytes " << block_bytes;
          EXPECT_FALSE(read_byte_rows(copied, block_bytes).has_value())
              << "copied, divisor " << divisor << ", value " << bad << " at (" << r << ", " << d << ")";
          ++rejected;
        }
      }
    }
    EXPECT_GT(rejected, 70) << "divisor " << divisor;  // most bad values are no code at all
  }
}

TEST(ByteRows, RowsInPlaceInSpansEncodeOnAllThreads) {
  // spans of uneven lengths (a one-row span among them), cut into blocks of 4 rows that end at every span
  // end, encoded on OpenMP's threads: the same codes and sums as one block, and every row released once
  const int rows = 61, dim = 37;
  const std::vector<uint8_t> codes = random_codes(rows, dim, 21);
  const std::vector<uint64_t> spans = {7, 13, 1, 39, 1};
  for (float divisor : kByteDivisors) {
    const RowMatrix<float> x = values_of(codes, rows, dim, divisor, Form::mixed);
    const testing::SpanSource source(x, spans);
    const std::optional<ByteRows> b = read_byte_rows(source, 4 * dim * sizeof(float));
    ASSERT_TRUE(b.has_value()) << "divisor " << divisor;
    expect_codes_and_sums(*b, codes, rows, dim, divisor);
    for (int r = 0; r < rows; ++r) EXPECT_EQ(source.released(r), 1) << "row " << r;
    // a value that is no code, in a later span, fails the whole source
    for (int bad_row : {8, 20, 59, 60}) {
      RowMatrix<float> bad = x;
      bad(bad_row, 3) = 0.3f;
      const testing::SpanSource bad_source(bad, spans);
      EXPECT_FALSE(read_byte_rows(bad_source, 4 * dim * sizeof(float)).has_value())
          << "divisor " << divisor << ", row " << bad_row;
    }
  }
}

TEST(ByteRows, AStoreReadInPlaceGivesTheSameCodes) {
  // raw pixels as `extract` writes them: 1000 rows of 784 values, in chunks of about 1 MiB (334 rows)
  const int rows = 1000, dim = 784;
  const std::vector<uint8_t> codes = random_codes(rows, dim, 22);
  const RowMatrix<float> x = values_of(codes, rows, dim, 255.0f);
  const featpipe::testing::TempDir dir;
  const std::string path = (dir / "pixels.h5").string();
  {
    data::FeatureStoreWriter writer(path, dim, {"a", "b"}, nlohmann::json::object());
    const std::vector<int32_t> labels(rows, 1);
    const std::vector<int64_t> index(rows, 0);
    writer.append(x.data(), labels.data(), index.data(), rows);
    writer.commit();
  }
  const StoreRowSource store(path);
  ASSERT_GT(store.in_place().size(), 1u);  // mapped, one span per chunk
  const std::optional<ByteRows> b = read_byte_rows(store);
  ASSERT_TRUE(b.has_value());
  expect_codes_and_sums(*b, codes, rows, dim, 255.0f);
}

TEST(ByteRows, StopsReadingAtTheFirstMismatch) {
  const int rows = 2000, dim = 8;
  RowMatrix<float> x = values_of(random_codes(rows, dim, 9), rows, dim, 255.0f);
  x(3, 5) = 0.3f;  // in the first block of 10 rows
  const CopySource s(x);
  EXPECT_FALSE(read_byte_rows(s, 10 * dim * sizeof(float)).has_value());
  EXPECT_LT(s.rows_read(), uint64_t(rows) / 2);  // a little read-ahead at most
}

TEST(ByteRows, TheFirstBlockFixesTheDivisor) {
  // integers after pixel values do not fit the divisor 255, wherever they are
  const int rows = 20, dim = 5;
  RowMatrix<float> x = values_of(random_codes(rows, dim, 8), rows, dim, 255.0f);
  x(15, 1) = 200.0f;
  const MatrixSource s(x.data(), rows, dim);
  EXPECT_FALSE(read_byte_rows(s, 2 * dim * sizeof(float)).has_value());
  EXPECT_FALSE(read_byte_rows(s).has_value());
}

TEST(ByteRows, StandardizerAgreesWithFitStandardizer) {
  for (float divisor : kByteDivisors) {
    const int rows = 301, dim = 37;
    std::vector<uint8_t> codes = random_codes(rows, dim, 11);
    for (int r = 0; r < rows; ++r) {
      codes[static_cast<std::size_t>(r) * dim + 4] = 0;    // zero variance at 0
      codes[static_cast<std::size_t>(r) * dim + 9] = 200;  // and away from 0
      codes[static_cast<std::size_t>(r) * dim + 12] = static_cast<uint8_t>(100 + r % 2);  // small variance
    }
    const RowMatrix<float> x = values_of(codes, rows, dim, divisor);
    const MatrixSource s(x.data(), rows, dim);
    const std::optional<ByteRows> b = read_byte_rows(s, 16 * dim * sizeof(float));
    ASSERT_TRUE(b.has_value());
    const Standardizer bytes = byte_standardizer(*b);
    const Standardizer floats = fit_standardizer(s);
    ASSERT_EQ(bytes.mean.size(), static_cast<std::size_t>(dim));
    ASSERT_EQ(bytes.std.size(), static_cast<std::size_t>(dim));
    for (int d = 0; d < dim; ++d) {
      EXPECT_NEAR(bytes.mean[d], floats.mean[d], 1e-6 * std::abs(floats.mean[d]))
          << "divisor " << divisor << ", column " << d;
      // column 12's std is the difference of two values times a constant: the rounding of the float
      // values, up to 2^-25 of 0.4 each, is up to 8e-6 of that difference (the codes are exact)
      const double rel = d == 12 && divisor != 1.0f ? 2e-5 : 1e-6;
      EXPECT_NEAR(bytes.std[d], floats.std[d], rel * floats.std[d])
          << "divisor " << divisor << ", column " << d;
    }
    EXPECT_EQ(bytes.mean[4], 0.0f);
    EXPECT_EQ(bytes.std[4], 1.0f);
    EXPECT_EQ(bytes.std[9], 1.0f);
    EXPECT_FLOAT_EQ(bytes.mean[9], 200.0f / divisor);
    // codes 100 and 101 alternating, 151 of one and 150 of the other: std sqrt(150 * 151) / 301 / divisor
    EXPECT_NEAR(bytes.std[12], std::sqrt(150.0 * 151.0) / 301.0 / divisor, 1e-7 / divisor);
  }
}

TEST(ByteRows, AffineMatchesStandardizerApply) {
  for (float divisor : kByteDivisors) {
    for (Form form : {Form::product, Form::quotient}) {
      const int rows = 64, dim = 37;
      std::vector<uint8_t> codes = random_codes(rows, dim, 12);
      for (int r = 0; r < rows; ++r) codes[static_cast<std::size_t>(r) * dim + 2] = 0;  // zero variance
      const RowMatrix<float> x = values_of(codes, rows, dim, divisor, form);
      const MatrixSource s(x.data(), rows, dim);
      const std::optional<ByteRows> b = read_byte_rows(s);
      ASSERT_TRUE(b.has_value());
      // byte_standardizer's statistics, and shifted ones whose offsets are large beside the scaled codes
      Standardizer shifted = byte_standardizer(*b);
      for (float& m : shifted.mean) m += 3.0f / divisor;
      for (const Standardizer& st : {byte_standardizer(*b), shifted}) {
        const ByteAffine a = byte_affine(*b, st);
        ASSERT_EQ(a.scale.size(), static_cast<std::size_t>(dim));
        ASSERT_EQ(a.offset.size(), static_cast<std::size_t>(dim));
        RowMatrix<float> z = x;
        st.apply(z);
        for (int r = 0; r < rows; ++r) {
          for (int d = 0; d < dim; ++d) {
            const float scaled = static_cast<float>(b->row(r)[d]) * a.scale[d];
            const float folded = scaled + a.offset[d];
            const float ulp =
                std::numeric_limits<float>::epsilon() * (std::abs(scaled) + std::abs(a.offset[d]));
            EXPECT_NEAR(folded, z(r, d), 4 * ulp)
                << "divisor " << divisor << ", row " << r << ", column " << d;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace featpipe::classify
