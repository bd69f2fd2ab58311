// The determinism contract end to end (DESIGN.md, "Determinism"): every stage run with --threads 1, 2 and 3
// (3 splits the work unevenly even on two cores) writes stores whose datasets are identical byte for byte,
// and so does the same command run twice with the same thread count. Every dataset of a store is compared,
// not only /features: centres, weights, whitening, W, b, histories, labels and index.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

#include "cli_runner.h"
#include "featpipe/data/store.h"
#include "test_fixtures.h"

namespace {

using featpipe::data::DatasetInfo;
using featpipe::data::DType;
using featpipe::data::StoreReader;
using featpipe::testing::CliResult;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

// Small enough for a fast test, large enough that the per-image work spans several tiles and threads.
constexpr const char* kData = "synthetic:shapes(classes=4,size=32,train=120,test=40)";

/// Where a and b first differ bit for bit (so -0 differs from 0 and a NaN equals itself), and in how many
/// elements; empty when they are identical.
template <typename T>
std::string bitwise_difference(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " elements";
  std::size_t first = a.size(), count = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(T)) == 0) continue;
    if (count++ == 0) first = i;
  }
  if (count == 0) return {};
  std::ostringstream text;
  text.precision(17);
  text << count << " of " << a.size() << " elements differ, the first at " << first << ": " << a[first]
       << " vs " << b[first];
  return text.str();
}

std::string difference(const StoreReader& a, const StoreReader& b, const DatasetInfo& info) {
  const std::string& name = info.name;
  switch (info.dtype) {
    case DType::float32:
      return bitwise_difference(a.read_floats(name), b.read_floats(name));
    case DType::float64:
      return bitwise_difference(a.read_doubles(name), b.read_doubles(name));
    case DType::int32:
    case DType::uint8:  // widened losslessly
      return bitwise_difference(a.read_int32(name), b.read_int32(name));
    case DType::int64:
      return bitwise_difference(a.read_int64(name), b.read_int64(name));
    case DType::string:
      return a.read_strings(name) == b.read_strings(name) ? "" : "the strings differ";
    case DType::other:
      break;
  }
  return "a type the test cannot compare";
}

/// Every dataset of `actual` identical to the same dataset of `expected`, and no dataset missing or extra.
void expect_same_datasets(const std::string& expected, const std::string& actual) {
  const StoreReader a(expected), b(actual);
  std::map<std::string, DatasetInfo> theirs;
  for (const DatasetInfo& info : b.list()) theirs.emplace(info.name, info);
  const std::vector<DatasetInfo> ours = a.list();
  ASSERT_FALSE(ours.empty()) << expected << " holds no dataset";
  for (const DatasetInfo& info : ours) {
    const auto other = theirs.find(info.name);
    if (other == theirs.end()) {
      ADD_FAILURE() << actual << " lacks " << info.name;
      continue;
    }
    EXPECT_EQ(info.dtype, other->second.dtype) << info.name;
    EXPECT_EQ(info.shape, other->second.shape) << info.name;
    const std::string diff = difference(a, b, info);
    EXPECT_TRUE(diff.empty()) << info.name << " of " << actual << " is not " << expected << "'s: " << diff;
    theirs.erase(other);
  }
  for (const auto& [name, info] : theirs)
    ADD_FAILURE() << actual << " has " << name << ", " << expected << " not";
}

class Determinism : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return (out_ / name).string(); }

  CliResult run(std::vector<std::string> args, int threads) {
    args.insert(args.end(), {"--threads", std::to_string(threads), "--quiet"});
    return run_featpipe(args, out_.path());
  }

  /// `featpipe args... --threads N --out <name>-<i>.h5` for the i-th N of threads: every output the same
  /// as the first's.
  void expect_same_outputs(const std::string& name, const std::vector<std::string>& args,
                           const std::vector<int>& threads) {
    std::vector<std::string> outputs;
    for (int n : threads) {
      outputs.push_back(path(name + "-" + std::to_string(outputs.size()) + ".h5"));
      std::vector<std::string> with_out = args;
      with_out.insert(with_out.end(), {"--out", outputs.back()});
      const CliResult r = run(with_out, n);
      ASSERT_EQ(r.exit_code, 0) << "--threads " << n << ": " << r.err;
    }
    for (std::size_t i = 1; i < outputs.size(); ++i) expect_same_datasets(outputs[0], outputs[i]);
  }
  void expect_same_for_any_threads(const std::string& name, const std::vector<std::string>& args) {
    expect_same_outputs(name, args, {1, 2, 3});
  }

  /// An input store made once per test process (with one thread), by `featpipe args... --out <name>`.
  const std::string& input(const std::string& name, std::vector<std::string> args) {
    static TempDir dir;
    static std::map<std::string, std::string> made;
    const auto found = made.find(name);
    if (found != made.end()) return found->second;
    const std::string out = (dir / name).string();
    args.insert(args.end(), {"--out", out, "--threads", "1", "--quiet"});
    const CliResult r = run_featpipe(args, dir.path());
    if (r.exit_code != 0) ADD_FAILURE() << name << ": " << r.err;
    return made.emplace(name, out).first->second;
  }
  /// The train split's and the test split's features by spec, in stores named after label.
  std::pair<std::string, std::string> features(const std::string& label, const std::string& spec) {
    const auto split = [&](const std::string& name) {
      return input(label + "-" + name + ".h5",
                   {"extract", "--data", kData, "--split", name, "--features", spec});
    };
    return {split("train"), split("test")};
  }
  const std::string& patches() {
    return input("patches.h5", {"descriptors", "--data", kData, "--descriptor", "patch(size=5,stride=1)",
                                "--sample", "4000"});
  }
  // 100 words: the triangle code's mean over the words is a long enough sum to show a change of order.
  const std::string& kmeans_vocab() {
    return input("kmeans.h5",
                 {"vocab", "--descriptors", patches(), "--k", "100", "--whiten", "zca", "--iterations", "5"});
  }
  const std::string& gmm_vocab() {
    return input("gmm.h5",
                 {"vocab", "--descriptors", patches(), "--k", "8", "--method", "gmm", "--iterations", "5"});
  }
  std::vector<std::string> encode(const std::string& vocab, std::vector<std::string> options) {
    std::vector<std::string> args = {"encode", "--data", kData, "--split", "test", "--vocab", vocab};
    args.insert(args.end(), options.begin(), options.end());
    return args;
  }
  /// A few epochs on the label / spec features, validated on the test split.
  std::vector<std::string> fit(const std::string& command, const std::string& label, const std::string& spec,
                               std::vector<std::string> options) {
    const auto [train, test] = features(label, spec);
    std::vector<std::string> args = {command, "--train", train, "--val", test, "--batch", "32"};
    args.insert(args.end(), options.begin(), options.end());
    return args;
  }

  TempDir out_;
};

TEST_F(Determinism, ExtractEveryExtractor) {
  expect_same_for_any_threads(
      "extract",
      {"extract", "--data", kData, "--split", "test", "--features",
       "raw+raw(gray=1,size=16x16)+huehist(bins=12,pyramid=1:2)+colorhist+hog(cell=4,variant=uoctti)+"
       "hog(cell=4,variant=dalaltriggs)+lbp(cell=8)"});
}

TEST_F(Determinism, DescriptorsSift) {
  expect_same_for_any_threads("sift",
                              {"descriptors", "--data", kData, "--descriptor", "sift", "--sample", "500"});
}

TEST_F(Determinism, DescriptorsDenseSift) {
  expect_same_for_any_threads(
      "dsift", {"descriptors", "--data", kData, "--descriptor", "dsift(step=4,size=4)", "--sample", "2000"});
}

TEST_F(Determinism, DescriptorsPatch) {
  expect_same_for_any_threads("patch", {"descriptors", "--data", kData, "--descriptor",
                                        "patch(size=5,stride=1)", "--sample", "2000"});
}

TEST_F(Determinism, VocabKMeansWithZca) {
  expect_same_for_any_threads(
      "kmeans", {"vocab", "--descriptors", patches(), "--k", "32", "--whiten", "zca", "--iterations", "5"});
}

TEST_F(Determinism, VocabMiniBatchKMeans) {
  expect_same_for_any_threads("minibatch", {"vocab", "--descriptors", patches(), "--k", "32", "--minibatch",
                                            "--batch", "512", "--iterations", "20"});
}

TEST_F(Determinism, VocabGmm) {
  expect_same_for_any_threads(
      "gmm", {"vocab", "--descriptors", patches(), "--k", "8", "--method", "gmm", "--iterations", "5"});
}

TEST_F(Determinism, VocabGmmWithPca) {
  expect_same_for_any_threads("gmm-pca", {"vocab", "--descriptors", patches(), "--k", "8", "--method", "gmm",
                                          "--pca", "8", "--iterations", "5"});
}

TEST_F(Determinism, VocabMiniBatchKMeansWithPca) {
  expect_same_for_any_threads("minibatch-pca",
                              {"vocab", "--descriptors", patches(), "--k", "16", "--minibatch", "--pca", "8",
                               "--batch", "512", "--iterations", "20"});
}

TEST_F(Determinism, EncodeBowWithKernelMap) {
  expect_same_for_any_threads("bow", encode(kmeans_vocab(), {"--encoding", "bow", "--pyramid", "1:2",
                                                             "--norm", "hellinger", "--kernel-map", "chi2"}));
}

TEST_F(Determinism, EncodeLlcWithRbfMap) {
  expect_same_for_any_threads("llc", encode(kmeans_vocab(), {"--encoding", "llc", "--pyramid", "1:2",
                                                             "--kernel-map", "rbf(gamma=2,dim=64)"}));
}

// --augment flip: rows of images and of their mirrors, in blocks that straddle the pairs (--block 5).
TEST_F(Determinism, ExtractAugmented) {
  expect_same_for_any_threads(
      "augmented", {"extract", "--data", kData, "--split", "train", "--augment", "flip", "--block", "5",
                    "--features", "hog(cell=4)+colorhist(bins=4,pyramid=1:2:3x1)"});
}

TEST_F(Determinism, EncodeFisherAugmentedOverStripes) {
  std::vector<std::string> args = encode(
      gmm_vocab(), {"--encoding", "fisher", "--pyramid", "1:2:3x1", "--augment", "flip", "--block", "5"});
  std::replace(args.begin(), args.end(), std::string("test"), std::string("train"));  // --split train
  expect_same_for_any_threads("fisher-flip", args);
}

TEST_F(Determinism, EncodeSoft) {
  expect_same_for_any_threads("soft", encode(kmeans_vocab(), {"--encoding", "soft", "--pyramid", "1:2"}));
}

TEST_F(Determinism, EncodeVlad) {
  expect_same_for_any_threads("vlad", encode(kmeans_vocab(), {"--encoding", "vlad"}));
}

TEST_F(Determinism, EncodeFisher) {
  expect_same_for_any_threads("fisher", encode(gmm_vocab(), {"--encoding", "fisher", "--pyramid", "1:2"}));
}

TEST_F(Determinism, EncodeTriangle) {
  expect_same_for_any_threads(
      "triangle", encode(kmeans_vocab(), {"--encoding", "triangle", "--pyramid", "2", "--pool", "sum"}));
}

// The same command twice with the same thread count: nothing may depend on how threads happen to be
// scheduled, or on what a thread met before.
TEST_F(Determinism, EncodeTriangleTwiceWithTwoThreads) {
  expect_same_outputs("again", encode(kmeans_vocab(), {"--encoding", "triangle", "--pyramid", "2"}), {2, 2});
}

// Float rows (HOG) and 8-bit rows (raw pixels, held as bytes), softmax and SVM, with and without dropout.
TEST_F(Determinism, TrainSoftmaxOnFloatRows) {
  expect_same_for_any_threads("softmax-float",
                              fit("train", "hog", "hog(cell=4)", {"--epochs", "3", "--loss", "softmax"}));
}

TEST_F(Determinism, TrainSvmOnFloatRowsWithDropout) {
  expect_same_for_any_threads(
      "svm-float-dropout", fit("train", "hog", "hog(cell=4)",
                               {"--epochs", "3", "--loss", "svm", "--dropout", "0.2", "--optimizer", "sgd"}));
}

TEST_F(Determinism, TrainSoftmaxOnByteRowsWithDropout) {
  expect_same_for_any_threads(
      "softmax-byte-dropout",
      fit("train", "raw", "raw", {"--epochs", "3", "--loss", "softmax", "--dropout", "0.2"}));
}

TEST_F(Determinism, TrainSvmOnByteRows) {
  expect_same_for_any_threads(
      "svm-byte", fit("train", "raw", "raw", {"--epochs", "3", "--loss", "svm", "--optimizer", "momentum"}));
}

TEST_F(Determinism, Sweep) {
  expect_same_for_any_threads("sweep", fit("sweep", "hog", "hog(cell=4)",
                                           {"--lr-range", "1e-3:1e-1", "--lambda-range", "1e-5:1e-3",
                                            "--steps", "2", "--epochs", "2"}));
}

}  // namespace
