// Locality-constrained linear coding against its definition: a hand-checkable case, the sum-to-one
// constraint, an independent numpy implementation of the approximated LLC, pooling and refusals.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "featpipe/vocab/encoder.h"
#include "vocab/vocab_test_data.h"

namespace featpipe::vocab {
namespace {

namespace fs = std::filesystem;

constexpr int kWords = 12, kDim = 5;
const cv::Size kImage(32, 32);

Vocabulary random_vocabulary() {
  Vocabulary v;
  v.centres = testing::make_blobs(kWords, 1, kDim, 2.0f, 21).centres;
  v.descriptor = "patch(size=1)";
  return v;
}

EncoderParams llc_params(int knn = 5, double beta = 1e-4, Pooling pooling = Pooling::sum) {
  EncoderParams p;
  p.encoding = EncodingKind::llc;
  p.pooling = pooling;
  p.llc_knn = knn;
  p.llc_beta = beta;
  return p;
}

/// Descriptors from rows, at frames spread over a 32x32 image.
features::LocalFeatures local_of(const RowMatrix<float>& rows) {
  features::LocalFeatures local;
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    local.frames.push_back({float((i * 7) % 32), float((i * 13) % 32), 1.0f, 0.0f});
    for (int c = 0; c < rows.cols(); ++c) local.descriptors.push_back(rows(i, c));
  }
  return local;
}

std::vector<float> encode(const Encoder& encoder, const features::LocalFeatures& local) {
  std::vector<float> out(encoder.dim(), -1.0f);  // pre-filled: every value must be written
  encoder.encode(local, kImage, out.data());
  return out;
}

/// The code of each row alone: one descriptor, one cell, sum pooling.
RowMatrix<float> codes_one_by_one(const Encoder& encoder, const RowMatrix<float>& x) {
  RowMatrix<float> codes(x.rows(), kWords);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const RowMatrix<float> row = x.row(i);
    const std::vector<float> code = encode(encoder, local_of(row));
    for (int j = 0; j < kWords; ++j) codes(i, j) = code[j];
  }
  return codes;
}

// With two neighbours, the first x itself: z = [0; b - x], C = diag(beta t, t (1 + beta)), t = |b - x|^2, so
// c = [1 / beta, 1 / (1 + beta)] / t, normalised to [1 + beta, beta] / (1 + 2 beta).
TEST(LlcTest, DescriptorOnAWordIsCodedByThatWord) {
  const Vocabulary v = random_vocabulary();
  const double beta = 0.01;
  const Encoder encoder(v, llc_params(2, beta));
  ASSERT_EQ(encoder.cell_width(), std::size_t(kWords));
  const RowMatrix<float> x = v.centres.row(7);
  const std::vector<float> code = encode(encoder, local_of(x));
  EXPECT_NEAR(code[7], (1 + beta) / (1 + 2 * beta), 1e-5);
  int others = 0;
  for (int j = 0; j < kWords; ++j) {
    if (j != 7 && code[j] != 0) {
      ++others;
      EXPECT_NEAR(code[j], beta / (1 + 2 * beta), 1e-5) << j;
    }
  }
  EXPECT_EQ(others, 1);
}

TEST(LlcTest, WeightsSumToOneOnTheNearestWords) {
  const Vocabulary v = random_vocabulary();
  const Encoder encoder(v, llc_params(3));
  const RowMatrix<float> x = testing::make_blobs(kWords, 4, kDim, 2.0f, 22).points;
  const RowMatrix<float> codes = codes_one_by_one(encoder, x);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    EXPECT_NEAR(codes.row(i).sum(), 1.0f, 1e-4f) << i;
    EXPECT_LE((codes.row(i).array() != 0).count(), 3) << i;  // only the knn nearest words
  }
}

TEST(LlcTest, OneNeighbourIsHardAssignment) {
  const Vocabulary v = random_vocabulary();
  EncoderParams bow;
  bow.encoding = EncodingKind::bow;
  const auto local = local_of(testing::make_blobs(kWords, 5, kDim, 2.0f, 23).points);
  EXPECT_EQ(encode(Encoder(v, llc_params(1)), local), encode(Encoder(v, bow), local));
}

// An independent implementation: numpy's exact distances, a stable sort (ties to the lower index) and
// np.linalg.solve, as in the authors' reference code.
constexpr const char* kNumpyLlc = R"(
import sys
import numpy as np
d = np.loadtxt(sys.argv[1]); k, knn, beta = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
B, X = d[:k], d[k:]
codes = np.zeros((len(X), k))
for i, x in enumerate(X):
    nearest = np.argsort(((B - x) ** 2).sum(1), kind="stable")[:knn]
    z = B[nearest] - x
    C = z @ z.T
    C += np.eye(knn) * beta * np.trace(C)
    w = np.linalg.solve(C, np.ones(knn))
    codes[i, nearest] = w / w.sum()
np.savetxt(sys.argv[2], codes, fmt="%.9g")
)";

TEST(LlcTest, EqualsAnIndependentNumpyImplementation) {
  const Vocabulary v = random_vocabulary();
  const int knn = 5;
  const double beta = 1e-3;
  const RowMatrix<float> x = testing::make_blobs(kWords, 5, kDim, 2.0f, 24).points;
  const fs::path dir = fs::temp_directory_path() / ("featpipe_llc_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream script(dir / "llc.py");
    script << kNumpyLlc;
    std::ofstream data(dir / "in.txt");
    data.precision(9);
    for (const RowMatrix<float>* m : {&v.centres, &x}) {
      for (Eigen::Index i = 0; i < m->rows(); ++i) {
        for (Eigen::Index c = 0; c < m->cols(); ++c) data << (*m)(i, c) << ' ';
        data << '\n';
      }
    }
  }
  const std::string command = "/usr/bin/python3 " + (dir / "llc.py").string() + " " +
                              (dir / "in.txt").string() + " " + (dir / "out.txt").string() + " " +
                              std::to_string(kWords) + " " + std::to_string(knn) + " " + std::to_string(beta);
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream result(dir / "out.txt");
  const RowMatrix<float> codes = codes_one_by_one(Encoder(v, llc_params(knn, beta)), x);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (int j = 0; j < kWords; ++j) {
      double expected = 0;
      ASSERT_TRUE(result >> expected) << "row " << i;
      // The weights solve a system of condition up to 1 / beta from float inputs.
      EXPECT_NEAR(codes(i, j), expected, 1e-4 * std::max(1.0, std::abs(expected))) << i << ", " << j;
    }
  }
  fs::remove_all(dir);
}

TEST(LlcTest, PoolsEachCellByMaxOrSum) {
  const Vocabulary v = random_vocabulary();
  const RowMatrix<float> x = testing::make_blobs(kWords, 6, kDim, 2.0f, 25).points;
  const RowMatrix<float> codes = codes_one_by_one(Encoder(v, llc_params()), x);
  EncoderParams max_params = llc_params(5, 1e-4, Pooling::max);
  max_params.pyramid = features::parse_pyramid("1:2");
  const Encoder max_pooled(v, max_params);
  ASSERT_EQ(max_pooled.dim(), std::size_t(5 * kWords));
  const std::vector<float> pooled = encode(max_pooled, local_of(x));
  // The whole-image cell: the largest code of each word, and 0 where every code is below it.
  for (int j = 0; j < kWords; ++j)
    EXPECT_NEAR(pooled[j], std::max(0.0f, codes.col(j).maxCoeff()), 1e-5f) << j;
  const std::vector<float> summed = encode(Encoder(v, llc_params()), local_of(x));
  for (int j = 0; j < kWords; ++j) EXPECT_NEAR(summed[j], codes.col(j).sum(), 1e-4f) << j;
}

TEST(LlcTest, DefaultPoolingIsMax) {
  EXPECT_EQ(default_pooling(EncodingKind::llc), Pooling::max);
  EXPECT_EQ(default_pooling(EncodingKind::bow), Pooling::sum);
}

TEST(LlcTest, RefusesBadParameters) {
  const Vocabulary v = random_vocabulary();
  const auto message = [&v](const EncoderParams& p) {
    try {
      Encoder encoder(v, p);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message(llc_params(kWords + 1)).find("k = 12"), std::string::npos);
  EXPECT_NE(message(llc_params(0)).find("at least 1"), std::string::npos);
  EXPECT_NE(message(llc_params(5, 0)).find("beta must be > 0"), std::string::npos);
  EXPECT_NE(message(llc_params(5, -1)).find("beta must be > 0"), std::string::npos);
  EXPECT_EQ(message(llc_params(kWords)), "accepted");
}

}  // namespace
}  // namespace featpipe::vocab
