// The kernels of every CPU level this machine runs (x86-64-v2, v3, v4: core/dispatch.h), forced with
// FEATPIPE_CPU, on the same small pipeline: the levels round differently (other vector widths, fused
// multiply-adds), so features and weights may differ in their last bits, but never by more than a rounding
// scaled to the values, and the trained models predict the same classes with the same accuracy.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "cli_runner.h"
#include "featpipe/classify/linear_model.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/core/cpu_level.h"
#include "featpipe/data/store.h"
#include "test_fixtures.h"

namespace {

using featpipe::RowMatrix;
using featpipe::cpu::Level;
using featpipe::data::StoreReader;
using featpipe::testing::CliResult;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

constexpr const char* kData = "synthetic:shapes(classes=4,size=32,train=240,test=120)";

/// The levels this CPU runs, lowest first.
std::vector<Level> levels() {
  std::vector<Level> out;
  const auto cpu = featpipe::cpu::detected();
  for (Level l : {Level::v2, Level::v3, Level::v4}) {
    if (cpu && l <= *cpu) out.push_back(l);
  }
  return out;
}

std::string tag(Level l) { return std::string(featpipe::cpu::name(l)).substr(7); }  // "v3"

RowMatrix<float> features_of(const std::string& store) {
  const StoreReader reader(store);
  const std::vector<float> values = reader.read_floats("features");
  const std::size_t rows = reader.read_int32("labels").size();
  return Eigen::Map<const RowMatrix<float>>(values.data(), rows, rows ? values.size() / rows : 0);
}

std::vector<int32_t> predicted(const std::string& model, const RowMatrix<float>& rows) {
  const featpipe::classify::LinearModel m = featpipe::classify::load_model(model).model;
  const RowMatrix<float> scores = featpipe::classify::predict_scores(m, rows);
  std::vector<int32_t> out(scores.rows());
  for (Eigen::Index i = 0; i < scores.rows(); ++i) scores.row(i).maxCoeff(&out[i]);
  return out;
}

class CpuLevels : public ::testing::Test {
 protected:
  /// `featpipe args... --out <name>-<level>.h5` at `level`; the output's path.
  std::string run_at(Level level, const std::string& name, std::vector<std::string> args) {
    const std::string out = (dir_ / (name + "-" + tag(level) + ".h5")).string();
    args.insert(args.end(), {"--out", out, "--quiet", "--threads", "2"});
    const CliResult r = run_featpipe(args, dir_.path(), {"FEATPIPE_CPU=" + tag(level)});
    EXPECT_EQ(r.exit_code, 0) << tag(level) << ": " << r.err;
    return out;
  }
  double accuracy_at(Level level, const std::string& model, const std::string& data) {
    const CliResult r = run_featpipe({"eval", "--model", model, "--store", data}, dir_.path(),
                                     {"FEATPIPE_CPU=" + tag(level)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto at = r.out.find("accuracy ");
    return at == std::string::npos ? -1 : std::stod(r.out.substr(at + 9));
  }

  /// Features of both splits by spec, then a model trained with `options` on them, at every level: the
  /// features within a rounding of the lowest level's (relative to the largest feature value), and the
  /// models predicting the same classes on the test split, with the same accuracy within 1e-3.
  void expect_same_pipeline(const std::string& name, const std::string& spec,
                            const std::vector<std::string>& options) {
    const std::vector<Level> all = levels();
    ASSERT_FALSE(all.empty()) << "this CPU is below x86-64-v2";
    RowMatrix<float> first_test;
    std::vector<int32_t> first_classes;
    double first_accuracy = 0;
    for (Level level : all) {
      SCOPED_TRACE(tag(level));
      const auto split = [&](const char* s) {
        return run_at(level, name + "-" + s, {"extract", "--data", kData, "--split", s, "--features", spec});
      };
      const std::string train = split("train"), test = split("test");
      std::vector<std::string> args = {"train", "--train", train, "--epochs", "20", "--batch", "32"};
      args.insert(args.end(), options.begin(), options.end());
      const std::string model = run_at(level, name + "-model", args);
      const RowMatrix<float> features = features_of(test);
      const std::vector<int32_t> classes = predicted(model, features);
      const double accuracy = accuracy_at(level, model, test);
      if (level == all.front()) {
        first_test = features;
        first_classes = classes;
        first_accuracy = accuracy;
        EXPECT_GT(accuracy, 0.5) << "the pipeline should learn something for the comparison to mean much";
        continue;
      }
      ASSERT_EQ(features.rows(), first_test.rows());
      ASSERT_EQ(features.cols(), first_test.cols());
      const float scale = std::max(1.0f, first_test.cwiseAbs().maxCoeff());
      EXPECT_LE((features - first_test).cwiseAbs().maxCoeff(), 1e-4f * scale);
      EXPECT_EQ(classes, first_classes);
      EXPECT_NEAR(accuracy, first_accuracy, 1e-3);
    }
  }

  TempDir dir_;
};

TEST_F(CpuLevels, HogAndHueHistogramsSoftmaxOnFloatRows) {
  expect_same_pipeline("hog", "hog(cell=8)+huehist", {"--loss", "softmax"});
}

TEST_F(CpuLevels, RawPixelsSvmOnByteRows) { expect_same_pipeline("raw", "raw", {"--loss", "svm"}); }

TEST_F(CpuLevels, HogDalalTriggsSvmOnFloatRows) {
  expect_same_pipeline("dalaltriggs", "hog(cell=8,variant=dalaltriggs)", {"--loss", "svm"});
}

// Dense SIFT, a k-means vocabulary and bag-of-words codes (the distance and encoder kernels) at every level:
// the same predictions from the codes of each level's vocabulary.
TEST_F(CpuLevels, DenseSiftBagOfWords) {
  std::vector<int32_t> first_classes;
  double first_accuracy = 0;
  for (Level level : levels()) {
    SCOPED_TRACE(tag(level));
    const std::string descriptors =
        run_at(level, "dsift",
               {"descriptors", "--data", kData, "--descriptor", "dsift(step=4,size=4)", "--sample", "4000"});
    const std::string vocab = run_at(level, "vocab", {"vocab", "--descriptors", descriptors, "--k", "24"});
    const auto codes = [&](const char* s) {
      return run_at(level, std::string("bow-") + s,
                    {"encode", "--data", kData, "--split", s, "--vocab", vocab, "--pyramid", "1:2"});
    };
    const std::string train = codes("train"), test = codes("test");
    const std::string model =
        run_at(level, "bow-model", {"train", "--train", train, "--epochs", "20", "--batch", "32"});
    const std::vector<int32_t> classes = predicted(model, features_of(test));
    const double accuracy = accuracy_at(level, model, test);
    if (first_classes.empty()) {
      first_classes = classes;
      first_accuracy = accuracy;
      continue;
    }
    EXPECT_EQ(classes, first_classes);
    EXPECT_NEAR(accuracy, first_accuracy, 1e-3);
  }
}

// The PCA of a vocabulary at every level: the same components, signs included (each eigenvector's sign is
// fixed by its largest entry), within float rounding of the lowest level's.
TEST_F(CpuLevels, PcaComponentsAgreeSignsIncluded) {
  std::vector<float> first;
  for (Level level : levels()) {
    SCOPED_TRACE(tag(level));
    const std::string descriptors =
        run_at(level, "pca-dsift",
               {"descriptors", "--data", kData, "--descriptor", "dsift(step=4,size=4)", "--sample", "4000"});
    const std::string vocab = run_at(level, "pca-vocab",
                                     {"vocab", "--descriptors", descriptors, "--k", "4", "--method", "gmm",
                                      "--pca", "8", "--iterations", "5"});
    const std::vector<float> projection = StoreReader(vocab).read_floats("/pca/projection");
    ASSERT_EQ(projection.size(), 8u * 128u);
    if (first.empty()) {
      first = projection;
      continue;
    }
    for (std::size_t i = 0; i < projection.size(); ++i) ASSERT_NEAR(projection[i], first[i], 1e-4f) << i;
  }
}

}  // namespace
