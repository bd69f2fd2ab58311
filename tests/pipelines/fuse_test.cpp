// Several feature stores of the same images fused in one model (`train --train A.h5 --train B.h5`): the
// model equals the one trained on a store of the same columns concatenated by hand, held whole or
// streamed, and by sweep too; one store trains as the library does on it alone; stores of other rows are
// refused naming both and the first differing row; eval, predict (the chains replayed side by side) and
// compare (`--test A.h5,B.h5`) take a fused model.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "blob_store.h"
#include "cli_runner.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/classify/store_source.h"
#include "featpipe/classify/trainer.h"
#include "featpipe/data/dataset.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/pipelines/evaluation.h"
#include "featpipe/pipelines/prediction.h"
#include "test_fixtures.h"

namespace {

namespace fs = std::filesystem;
using featpipe::RowMatrix;
using featpipe::classify::load_model;
using featpipe::classify::ModelFile;
using featpipe::data::FeatureStoreReader;
using featpipe::data::FeatureStoreWriter;
using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;
using featpipe::testing::write_blobs;

/// All rows of a store.
RowMatrix<float> read_rows(const std::string& path) {
  const FeatureStoreReader store(path);
  RowMatrix<float> rows(Eigen::Index(store.rows()), Eigen::Index(store.dim()));
  store.read_rows(0, store.rows(), rows.data());
  return rows;
}

/// The rows of the stores side by side.
RowMatrix<float> concatenated(const std::vector<std::string>& paths) {
  std::vector<RowMatrix<float>> parts;
  Eigen::Index cols = 0;
  for (const std::string& path : paths) cols += parts.emplace_back(read_rows(path)).cols();
  RowMatrix<float> all(parts.front().rows(), cols);
  Eigen::Index at = 0;
  for (const RowMatrix<float>& part : parts) {
    all.middleCols(at, part.cols()) = part;
    at += part.cols();
  }
  return all;
}

/// A store at `out` of the stores' columns side by side, with the first's labels, /index and classes,
/// written by the project's store writer.
std::string write_concatenated(const std::vector<std::string>& paths, const std::string& out) {
  const FeatureStoreReader first(paths.front());
  const RowMatrix<float> rows = concatenated(paths);
  FeatureStoreWriter w(out, uint64_t(rows.cols()), first.class_names(),
                       {{"dataset", "synthetic:blobs"}, {"features", "by hand"}, {"dim", rows.cols()}});
  w.append(rows.data(), first.labels().data(), first.index().data(), first.rows());
  w.commit();
  return out;
}

/// A store at `out` holding the rows of `path` with the label of row `row` (or its /index) changed.
std::string write_changed(const std::string& path, const std::string& out, std::size_t row, bool label) {
  const FeatureStoreReader in(path);
  const RowMatrix<float> rows = read_rows(path);
  std::vector<int32_t> labels = in.labels();
  std::vector<int64_t> index = in.index();
  if (label) {
    labels[row] = (labels[row] + 1) % 3;
  } else {
    index[row] += 1000;
  }
  FeatureStoreWriter w(out, in.dim(), in.class_names(), in.provenance());
  w.append(rows.data(), labels.data(), index.data(), in.rows());
  w.commit();
  return out;
}

void expect_same_model(const ModelFile& got, const ModelFile& want, const std::string& what) {
  EXPECT_EQ(got.model.W, want.model.W) << what;
  EXPECT_EQ(got.model.b, want.model.b) << what;
  EXPECT_EQ(got.model.preprocess.mean, want.model.preprocess.mean) << what;
  EXPECT_EQ(got.model.preprocess.std, want.model.preprocess.std) << what;
  EXPECT_EQ(got.history.loss, want.history.loss) << what;
  EXPECT_EQ(got.history.val_acc, want.history.val_acc) << what;
}

class FuseCli : public ::testing::Test {
 protected:
  void SetUp() override {
    // the same 240 images (labels r % 3, /index r) seen by two feature specs of 5 and 4 values
    a_ = write_blobs(dir_, "a.h5", 240, 5, "blobs5", 1);
    b_ = write_blobs(dir_, "b.h5", 240, 4, "blobs4", 2, 1.5f);
    a_val_ = write_blobs(dir_, "a_val.h5", 60, 5, "blobs5", 3);
    b_val_ = write_blobs(dir_, "b_val.h5", 60, 4, "blobs4", 4, 1.5f);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  CliResult train(const std::vector<std::string>& args) const {
    std::vector<std::string> all = {"train",   "--loss", "softmax", "--epochs", "3",
                                    "--batch", "32",     "--seed",  "5"};
    all.insert(all.end(), args.begin(), args.end());
    return run_featpipe(all, dir_.path());
  }

  TempDir dir_;
  std::string a_, b_, a_val_, b_val_;
};

TEST_F(FuseCli, FusedStoresTrainTheModelOfTheirColumnsConcatenated) {
  const std::string by_hand = write_concatenated({a_, b_}, path("ab.h5"));
  const std::string by_hand_val = write_concatenated({a_val_, b_val_}, path("ab_val.h5"));
  // whole, and streamed in chunks of 112 rows (4 KiB of 9 floats beside a chunk of val)
  for (const std::vector<std::string>& memory : {std::vector<std::string>{}, {"--max-memory", "8K"}}) {
    std::vector<std::string> fused = {"--train", a_,      "--train", b_,      "--val",
                                      a_val_,    "--val", b_val_,    "--out", path("fused.h5")};
    std::vector<std::string> hand = {"--train", by_hand, "--val", by_hand_val, "--out", path("hand.h5")};
    fused.insert(fused.end(), memory.begin(), memory.end());
    hand.insert(hand.end(), memory.begin(), memory.end());
    const CliResult f = train(fused), h = train(hand);
    ASSERT_EQ(f.exit_code, 0) << f.err;
    ASSERT_EQ(h.exit_code, 0) << h.err;
    EXPECT_TRUE(contains(f.out, "240 rows x 9 features")) << f.out;
    const ModelFile m = load_model(path("fused.h5"));
    expect_same_model(m, load_model(path("hand.h5")), memory.empty() ? "whole" : "streamed");

    // every store recorded in order with its width; the fused spec and width at the top
    const nlohmann::json& stores = m.provenance["train"]["stores"];
    ASSERT_EQ(stores.size(), 2u);
    EXPECT_EQ(stores[0]["path"], a_);
    EXPECT_EQ(stores[0]["dim"], 5);
    EXPECT_EQ(stores[0]["provenance"]["features"], "blobs5");
    EXPECT_EQ(stores[1]["path"], b_);
    EXPECT_EQ(stores[1]["dim"], 4);
    EXPECT_EQ(m.provenance["features"], "blobs5 + blobs4");
    EXPECT_EQ(m.provenance["dim"], 9);
    EXPECT_EQ(m.provenance["val"]["paths"], (nlohmann::json{a_val_, b_val_}));
  }
}

TEST_F(FuseCli, SweepOnFusedStoresEqualsSweepOnTheConcatenatedStore) {
  const std::string by_hand = write_concatenated({a_, b_}, path("ab.h5"));
  const std::string by_hand_val = write_concatenated({a_val_, b_val_}, path("ab_val.h5"));
  const std::vector<std::string> grid = {"sweep", "--steps", "2", "--epochs", "2", "--batch", "64"};
  auto fused = grid, hand = grid;
  fused.insert(fused.end(),
               {"--train", a_, "--train", b_, "--val", a_val_, "--val", b_val_, "--out", path("fused.h5")});
  hand.insert(hand.end(), {"--train", by_hand, "--val", by_hand_val, "--out", path("hand.h5")});
  const CliResult f = run_featpipe(fused, dir_.path()), h = run_featpipe(hand, dir_.path());
  ASSERT_EQ(f.exit_code, 0) << f.err;
  ASSERT_EQ(h.exit_code, 0) << h.err;
  const ModelFile m = load_model(path("fused.h5"));
  expect_same_model(m, load_model(path("hand.h5")), "sweep");
  EXPECT_EQ(m.provenance["train"]["stores"].size(), 2u);
}

TEST_F(FuseCli, OneStoreTrainsAsTheLibraryOnThatStore) {
  const CliResult r = train({"--train", a_, "--out", path("one.h5")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  featpipe::classify::TrainParams p;
  p.loss.kind = featpipe::classify::LossKind::softmax;
  p.epochs = 3;
  p.batch = 32;
  p.seed = 5;
  const featpipe::classify::StoreRowSource store(a_);
  featpipe::classify::TrainResult want =
      featpipe::classify::train(p, {&store, store.labels(), a_}, nullptr, 3);
  const ModelFile m = load_model(path("one.h5"));
  EXPECT_EQ(m.model.W, want.model.W);
  EXPECT_EQ(m.model.b, want.model.b);
  EXPECT_EQ(m.history.loss, want.history.loss);
  EXPECT_FALSE(m.provenance["train"].contains("stores")) << m.provenance.dump();
  EXPECT_EQ(m.provenance["features"], "blobs5");
  EXPECT_EQ(m.provenance["train"]["path"], a_);
}

TEST_F(FuseCli, StoresOfOtherRowsAreRefusedNamingBothAndTheRow) {
  const std::string relabelled = write_changed(b_, path("relabelled.h5"), 17, true);
  const std::string reindexed = write_changed(b_, path("reindexed.h5"), 23, false);
  const std::string fewer = write_blobs(dir_, "fewer.h5", 239, 4, "blobs4", 2);
  struct Case {
    std::string store, says;
  };
  for (const Case& c : {Case{relabelled, "row 17 has label"}, Case{reindexed, "row 23 has /index 1023 here"},
                        Case{fewer, "239 rows against 240"}}) {
    const CliResult r = train({"--train", a_, "--train", c.store, "--out", path("m.h5")});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: " + c.store + ": holds other rows than " + a_)) << r.err;
    EXPECT_TRUE(contains(r.err, c.says)) << r.err;
    EXPECT_FALSE(fs::exists(path("m.h5")));
  }
  // another source set: the test split's images beside the training split's
  const std::string other_split = path("other_split.h5");
  {
    const FeatureStoreReader in(b_);
    const RowMatrix<float> rows = read_rows(b_);
    nlohmann::json p = in.provenance();
    p["split"] = "test";
    FeatureStoreWriter w(other_split, in.dim(), in.class_names(), p);
    w.append(rows.data(), in.labels().data(), in.index().data(), in.rows());
    w.commit();
  }
  const CliResult split = train({"--train", a_, "--train", other_split, "--out", path("m.h5")});
  EXPECT_EQ(split.exit_code, 2) << split.err;
  EXPECT_TRUE(contains(split.err, other_split + ": holds other rows than " + a_)) << split.err;
  EXPECT_TRUE(contains(split.err, "split \"test\"")) << split.err;

  // as many --val as --train, of the same features in the same order
  const CliResult one_val = train({"--train", a_, "--train", b_, "--val", a_val_, "--out", path("m.h5")});
  EXPECT_EQ(one_val.exit_code, 2) << one_val.err;
  EXPECT_TRUE(contains(one_val.err, "featpipe: error: --val: gives 1 store(s)")) << one_val.err;
  const CliResult swapped =
      train({"--train", a_, "--train", b_, "--val", b_val_, "--val", a_val_, "--out", path("m.h5")});
  EXPECT_EQ(swapped.exit_code, 2) << swapped.err;
  EXPECT_TRUE(contains(swapped.err, "featpipe: error: " + b_val_ + ": holds features 'blobs4'"))
      << swapped.err;
  EXPECT_FALSE(fs::exists(path("m.h5")));
}

TEST_F(FuseCli, EvalTakesTheStoresInTheModelsOrder) {
  ASSERT_EQ(train({"--train", a_, "--train", b_, "--out", path("m.h5")}).exit_code, 0);
  const CliResult r = run_featpipe(
      {"eval", "--model", path("m.h5"), "--store", a_val_, "--store", b_val_, "--errors", path("e.tsv")},
      dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "on " + a_val_ + "," + b_val_ + ": 60 rows")) << r.out;
  // the accuracy of the model on the rows side by side
  const ModelFile m = load_model(path("m.h5"));
  const RowMatrix<float> rows = concatenated({a_val_, b_val_});
  const featpipe::classify::MatrixSource source(rows.data(), uint64_t(rows.rows()), uint64_t(rows.cols()));
  const std::vector<int32_t> predicted = featpipe::classify::predict(m.model, source);
  const featpipe::pipelines::Evaluation e =
      featpipe::pipelines::evaluate_store(path("m.h5"), {a_val_, b_val_});
  EXPECT_EQ(e.predicted, predicted);

  const CliResult one = run_featpipe({"eval", "--model", path("m.h5"), "--store", a_val_}, dir_.path());
  EXPECT_EQ(one.exit_code, 2) << one.err;
  EXPECT_TRUE(contains(one.err, "featpipe: error: --store: gives 1 store(s) but " + path("m.h5") +
                                    " was trained on 2 store(s)"))
      << one.err;
  const CliResult swapped =
      run_featpipe({"eval", "--model", path("m.h5"), "--store", b_val_, "--store", a_val_}, dir_.path());
  EXPECT_EQ(swapped.exit_code, 2) << swapped.err;
  EXPECT_TRUE(contains(swapped.err, "featpipe: error: " + b_val_ + ": holds features 'blobs4'"))
      << swapped.err;
}

/// Models on images: raw pixels and HOG of the same synthetic shapes, fused, beside raw pixels alone.
class FuseImages : public ::testing::Test {
 protected:
  static constexpr const char* kData = "synthetic:shapes(classes=3,train=150,test=18,size=24)";
  void SetUp() override {
    for (const char* split : {"train", "test"}) {
      for (const auto& [name, spec] :
           {std::pair{"raw", "raw(size=12x12)"}, std::pair{"hog", "hog(cell=8)"}}) {
        const CliResult r =
            run_featpipe({"extract", "--quiet", "--data", kData, "--split", split, "--features", spec,
                          "--out", path(std::string(name) + "_" + split + ".h5")},
                         dir_.path());
        ASSERT_EQ(r.exit_code, 0) << r.err;
      }
    }
    const CliResult fused =
        run_featpipe({"train", "--quiet", "--train", path("raw_train.h5"), "--train", path("hog_train.h5"),
                      "--loss", "softmax", "--epochs", "4", "--out", path("fused.h5")},
                     dir_.path());
    ASSERT_EQ(fused.exit_code, 0) << fused.err;
    const CliResult raw = run_featpipe({"train", "--quiet", "--train", path("raw_train.h5"), "--loss",
                                        "softmax", "--epochs", "4", "--out", path("raw.h5")},
                                       dir_.path());
    ASSERT_EQ(raw.exit_code, 0) << raw.err;
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  TempDir dir_;
};

TEST_F(FuseImages, PredictReplaysEveryChainAndEqualsEval) {
  const std::vector<std::string> tests = {path("raw_test.h5"), path("hog_test.h5")};
  const featpipe::pipelines::Evaluation e = featpipe::pipelines::evaluate_store(path("fused.h5"), tests);
  const RowMatrix<float> rows = concatenated(tests);
  const RowMatrix<float> scores = featpipe::classify::predict_scores(e.model.model, rows);
  const FeatureStoreReader test(tests.front());
  const auto dataset = featpipe::data::open_dataset(kData);
  std::vector<std::string> args = {"predict", "--model", path("fused.h5"), "--format", "json", "--top", "3"};
  for (std::size_t i = 0; i < test.rows(); ++i) {
    args.push_back(path("test_" + std::to_string(i) + ".png"));
    ASSERT_TRUE(cv::imwrite(args.back(), dataset->image(featpipe::data::Source::test, test.index()[i])));
  }
  const CliResult r = run_featpipe(args, dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "[1] ")) << r.err;
  EXPECT_TRUE(contains(r.err, "[2] ")) << r.err;
  const nlohmann::json out = nlohmann::json::parse(r.out);
  ASSERT_EQ(out["predictions"].size(), test.rows());
  const auto& names = e.model.model.class_names;
  for (std::size_t i = 0; i < test.rows(); ++i) {
    const nlohmann::json& p = out["predictions"][i];
    EXPECT_EQ(p["class"], names[std::size_t(e.predicted[i])]) << "image " << i;
    std::vector<double> row(scores.cols());
    for (Eigen::Index c = 0; c < scores.cols(); ++c) row[c] = scores(Eigen::Index(i), c);
    const std::vector<double> probabilities = featpipe::pipelines::softmax(row);
    for (const nlohmann::json& top : p["top"]) {
      const std::size_t c = std::size_t(std::find(names.begin(), names.end(), top["class"]) - names.begin());
      ASSERT_LT(c, names.size());
      EXPECT_EQ(top["probability"].get<double>(), probabilities[c]) << "image " << i << " class " << c;
    }
  }
}

TEST_F(FuseImages, CompareTakesAFusedModelsTestStoresJoinedByComma) {
  const CliResult r =
      run_featpipe({"compare", path("raw.h5"), path("fused.h5"), "--test", path("raw_test.h5"),
                    path("raw_test.h5") + "," + path("hog_test.h5"), "--out", path("report"), "--no-plots"},
                   dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(path("report/summary.json"));
  const nlohmann::json summary = nlohmann::json::parse(in);
  ASSERT_EQ(summary["rows"].size(), 2u);
  const nlohmann::json& fused = summary["rows"][1];
  EXPECT_EQ(summary["baseline"], "raw");
  const FeatureStoreReader raw(path("raw_test.h5")), hog(path("hog_test.h5"));
  EXPECT_EQ(fused["features"], raw.provenance()["features"].get<std::string>() + " + " +
                                   hog.provenance()["features"].get<std::string>());
  EXPECT_EQ(fused["dim"], raw.dim() + hog.dim());
  EXPECT_EQ(fused["test"],
            fs::absolute(path("raw_test.h5")).string() + "," + fs::absolute(path("hog_test.h5")).string());
  const featpipe::pipelines::Evaluation e =
      featpipe::pipelines::evaluate_store(path("fused.h5"), {path("raw_test.h5"), path("hog_test.h5")});
  EXPECT_EQ(fused["test_acc"].get<double>(), e.report.accuracy);
  EXPECT_EQ(fused["test_rows"], 18);
  EXPECT_TRUE(fused.contains("vs_baseline")) << fused.dump();

  // a single test store for the fused model is refused naming --test
  const CliResult one = run_featpipe(
      {"compare", path("fused.h5"), "--test", path("raw_test.h5"), "--out", path("report2"), "--no-plots"},
      dir_.path());
  EXPECT_EQ(one.exit_code, 2) << one.err;
  EXPECT_TRUE(contains(one.err, "featpipe: error: --test: gives 1 store(s)")) << one.err;
}

}  // namespace
