// `featpipe predict` replays the model's feature chain on image files: a PNG written from a test image
// gets the class the model gives that image's row in the test store, with the softmax of that row's scores
// as its probabilities (a softmax model) or the scores themselves (an SVM). Unreadable files are skipped
// and reported, folders stand for their image files, and the output is TSV or JSON.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "cli_runner.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/data/dataset.h"
#include "featpipe/data/feature_store.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

namespace {

using featpipe::testing::contains;

constexpr const char* kData = "synthetic:shapes(classes=4,train=200,test=24,size=24)";

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

/// Writes every test image of the store as a PNG, runs `featpipe predict --top <classes>` on them, and
/// checks that each gets the class the model gives its row in the store (the argmax eval uses), with every
/// class's value: the softmax of the row's scores for a softmax model, else the scores, computed here from
/// the store's rows.
void expect_predict_matches_store(const fs::path& dir, const std::string& model_path,
                                  const std::string& store, bool probabilities) {
  const auto model = featpipe::classify::load_model(model_path);
  featpipe::data::FeatureStoreReader test(store);
  std::vector<float> rows(test.rows() * test.dim());
  test.read_rows(0, test.rows(), rows.data());
  const auto scores = featpipe::classify::predict_scores(
      model.model, Eigen::Map<const featpipe::RowMatrix<float>>(rows.data(), Eigen::Index(test.rows()),
                                                                Eigen::Index(test.dim())));
  const auto dataset = featpipe::data::open_dataset(kData);
  const int classes = model.model.classes();
  std::vector<std::string> args = {"predict", "--model", model_path, "--top", std::to_string(classes)};
  std::vector<std::string> expected;
  std::vector<std::vector<double>> values;  // per image, per class
  for (std::size_t i = 0; i < test.rows(); ++i) {
    const std::string png = (dir / ("test_" + std::to_string(i) + ".png")).string();
    ASSERT_TRUE(cv::imwrite(png, dataset->image(featpipe::data::Source::test, test.index()[i])));
    args.push_back(png);
    Eigen::Index best = 0;
    scores.row(Eigen::Index(i)).maxCoeff(&best);
    expected.push_back(png + "\t" + model.model.class_names[best] + "\t");
    // The expected values computed here from the store's scores: exp / sum (small scores, no overflow).
    std::vector<double> v(classes);
    double sum = 0;
    for (int c = 0; c < classes; ++c) {
      v[c] = probabilities ? std::exp(scores(Eigen::Index(i), c)) : scores(Eigen::Index(i), c);
      sum += v[c];
    }
    if (probabilities) {
      for (double& p : v) p /= sum;
    }
    values.push_back(v);
  }
  const auto r = run_featpipe(args, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  const std::string value = probabilities ? "probability" : "score";
  EXPECT_EQ(line.rfind("image\tclass_1\t" + value + "_1\t", 0), 0u) << line;
  EXPECT_EQ(split(line, '\t').size(), std::size_t(1 + 2 * classes)) << line;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_TRUE(std::getline(lines, line));
    EXPECT_EQ(line.substr(0, expected[i].size()), expected[i]) << line;
    const std::vector<std::string> cells = split(line, '\t');
    ASSERT_EQ(cells.size(), std::size_t(1 + 2 * classes)) << line;
    double total = 0, previous = INFINITY;
    for (int k = 0; k < classes; ++k) {
      const auto name =
          std::find(model.model.class_names.begin(), model.model.class_names.end(), cells[1 + 2 * k]);
      ASSERT_NE(name, model.model.class_names.end()) << line;
      const double printed = std::stod(cells[2 + 2 * k]),
                   want = values[i][name - model.model.class_names.begin()];
      // printed with 6 significant digits; the chain and the store may differ in the last float bits
      EXPECT_NEAR(printed, want, 1e-4 * std::max(1.0, std::abs(want))) << line;
      EXPECT_LE(printed, previous) << "best first: " << line;
      previous = printed;
      total += printed;
    }
    if (probabilities) {
      EXPECT_NEAR(total, 1.0, 1e-4) << line;
    }
  }
  EXPECT_FALSE(std::getline(lines, line)) << line;
}

class PredictCli : public ::testing::Test {
 protected:
  TempDir dir_;

  void SetUp() override {
    for (const char* split : {"train", "test"}) {
      const auto r =
          run_featpipe({"extract", "--quiet", "--data", kData, "--split", split, "--features",
                        "raw(size=12x12)", "--out", (dir_ / (std::string(split) + ".h5")).string()},
                       dir_.path());
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const auto r = run_featpipe({"train", "--quiet", "--train", (dir_ / "train.h5").string(), "--loss",
                                 "softmax", "--epochs", "5", "--out", (dir_ / "model.h5").string()},
                                dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  /// Test image `index` of the dataset written as dir_/name; its path.
  std::string write_test_image(const std::string& name, std::size_t index) const {
    const std::string path = (dir_ / name).string();
    const auto dataset = featpipe::data::open_dataset(kData);
    EXPECT_TRUE(cv::imwrite(path, dataset->image(featpipe::data::Source::test, index)));
    return path;
  }

  featpipe::testing::CliResult predict(const std::vector<std::string>& extra) const {
    std::vector<std::string> args = {"predict", "--model", (dir_ / "model.h5").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_featpipe(args, dir_.path());
  }
};

TEST_F(PredictCli, PngOfATestImageGetsTheClassOfItsRow) {
  expect_predict_matches_store(dir_.path(), (dir_ / "model.h5").string(), (dir_ / "test.h5").string(), true);
}

TEST_F(PredictCli, TopListsTheKBestClassesCappedAtTheClasses) {
  const std::string png = write_test_image("one.png", 0);
  for (const auto& [top, columns] : {std::pair{"1", 3u}, {"2", 5u}, {"9", 9u}}) {
    const auto r = predict({"--top", top, png});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> lines = split(r.out, '\n');
    ASSERT_EQ(lines.size(), 2u) << r.out;
    EXPECT_EQ(split(lines[0], '\t').size(), columns) << lines[0];
    EXPECT_EQ(split(lines[1], '\t').size(), columns) << lines[1];
  }
  const auto zero = predict({"--top", "0", png});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_TRUE(contains(zero.err, "--top: must be in [1, ")) << zero.err;
}

TEST_F(PredictCli, UnreadableFilesAreReportedAndSkippedAndTheRestPredicted) {
  const std::string good = write_test_image("good.png", 0), later = write_test_image("later.png", 1);
  const fs::path text = dir_ / "notes.png", truncated = dir_ / "truncated.png", missing = dir_ / "nosuch.png";
  std::ofstream(text) << "not an image";
  {  // a PNG cut after its first chunks: the decoder starts, then fails (libpng has its own say on stderr)
    std::ifstream in(good, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  const auto r = predict({good, text.string(), truncated.string(), missing.string(), later});
  EXPECT_EQ(r.exit_code, 2);
  const std::vector<std::string> rows = split(r.out, '\n');
  ASSERT_EQ(rows.size(), 3u) << r.out;
  EXPECT_EQ(rows[1].rfind(good + "\t", 0), 0u) << r.out;
  EXPECT_EQ(rows[2].rfind(later + "\t", 0), 0u) << r.out;
  EXPECT_TRUE(
      contains(r.err, "featpipe predict: cannot read " + text.string() + ": cannot be read as an image"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "featpipe predict: cannot read " + truncated.string() + ": ")) << r.err;
  EXPECT_TRUE(contains(r.err, "featpipe predict: cannot read " + missing.string() + ": no such file"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "3 input(s) skipped, 2 image(s) predicted")) << r.err;
  // Only featpipe's own lines (the model it loaded, then the skipped files): OpenCV's warnings and libpng's
  // complaints stay out.
  const std::string model_line = "model " + (dir_ / "model.h5").string() + ": ";
  for (const std::string& line : split(r.err, '\n'))
    EXPECT_TRUE(line.rfind("featpipe predict: ", 0) == 0 || line.rfind(model_line, 0) == 0) << r.err;
}

TEST_F(PredictCli, FoldersStandForTheirImageFilesSorted) {
  const fs::path folder = dir_ / "photos";
  fs::create_directories(folder / "more");
  fs::create_directories(dir_ / "empty");
  const std::string b = write_test_image("photos/b.png", 1), a = write_test_image("photos/a.PNG", 0),
                    c = write_test_image("photos/more/c.png", 2);
  std::ofstream(folder / "labels.txt") << "not an image, not listed";
  const auto rows_of = [](const std::string& out) {
    std::vector<std::string> images;
    for (const std::string& line : split(out, '\n')) images.push_back(line.substr(0, line.find('\t')));
    return images;
  };
  const auto flat = predict({folder.string()});
  ASSERT_EQ(flat.exit_code, 0) << flat.err;
  EXPECT_EQ(rows_of(flat.out), (std::vector<std::string>{"image", a, b}));
  const auto deep = predict({"--recursive", folder.string()});
  ASSERT_EQ(deep.exit_code, 0) << deep.err;
  EXPECT_EQ(rows_of(deep.out), (std::vector<std::string>{"image", a, b, c}));
  const auto empty = predict({(dir_ / "empty").string(), b});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_EQ(rows_of(empty.out), (std::vector<std::string>{"image", b}));
  EXPECT_TRUE(
      contains(empty.err, "cannot read " + (dir_ / "empty").string() + ": is a folder with no image files"))
      << empty.err;
}

TEST_F(PredictCli, JsonIsOneDocumentWithTheSkippedFiles) {
  const std::string good = write_test_image("say \"cheese\".png", 0);
  std::ofstream(dir_ / "notes.png") << "not an image";
  const auto r = predict({"--format", "json", "--top", "2", good, (dir_ / "notes.png").string()});
  EXPECT_EQ(r.exit_code, 2);
  const nlohmann::json doc = nlohmann::json::parse(r.out);  // throws on anything but one valid document
  EXPECT_EQ(doc["values"], "probability");
  ASSERT_EQ(doc["predictions"].size(), 1u) << r.out;
  const nlohmann::json& p = doc["predictions"][0];
  EXPECT_EQ(p["image"], good);
  ASSERT_EQ(p["top"].size(), 2u);
  EXPECT_EQ(p["class"], p["top"][0]["class"]);
  EXPECT_GE(p["top"][0]["probability"].get<double>(), p["top"][1]["probability"].get<double>());
  ASSERT_EQ(doc["skipped"].size(), 1u);
  EXPECT_EQ(doc["skipped"][0]["image"], (dir_ / "notes.png").string());
  EXPECT_TRUE(contains(doc["skipped"][0]["reason"], "cannot be read as an image")) << r.out;

  const auto xml = predict({"--format", "xml", good});
  EXPECT_EQ(xml.exit_code, 2);
  EXPECT_TRUE(contains(xml.err, "--format: must be tsv or json, got xml")) << xml.err;
}

TEST_F(PredictCli, LargerImagesAreResizedToTheTrainingSize) {
  const auto dataset = featpipe::data::open_dataset(kData);
  cv::Mat big;
  cv::resize(dataset->image(featpipe::data::Source::test, 0), big, {96, 96}, 0, 0, cv::INTER_NEAREST);
  const fs::path png = dir_ / "big.png";
  ASSERT_TRUE(cv::imwrite(png.string(), big));
  const auto r =
      run_featpipe({"predict", "--model", (dir_ / "model.h5").string(), png.string()}, dir_.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resize to 24x24, extract raw(size=12x12)"), std::string::npos) << r.err;
}

TEST(PredictEncoded, ReplaysDescriptorVocabularyAndEncoding) {
  TempDir dir;
  auto run_ok = [&](const std::vector<std::string>& args) {
    const auto r = run_featpipe(args, dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  const auto path = [&](const std::string& name) { return (dir / name).string(); };
  run_ok({"descriptors", "--quiet", "--data", kData, "--descriptor", "patch(size=5,stride=2,norm=1)",
          "--sample", "5000", "--out", path("desc.h5")});
  run_ok({"vocab", "--quiet", "--descriptors", path("desc.h5"), "--k", "16", "--whiten", "zca", "--out",
          path("vocab.h5")});
  // A square pyramid, and Chatfield's 1:2:3x1 over a training store with mirrored copies (--augment flip):
  // predict replays the pyramid from the provenance, and takes each image as it is.
  for (const std::string pyramid : {"2", "1:2:3x1"}) {
    const std::string name = pyramid == "2" ? "square" : "stripes";
    for (const std::string split : {"train", "test"}) {
      std::vector<std::string> args = {"encode",     "--quiet",
                                       "--data",     kData,
                                       "--split",    split,
                                       "--vocab",    path("vocab.h5"),
                                       "--encoding", "triangle",
                                       "--pyramid",  pyramid,
                                       "--out",      path(name + split + ".h5")};
      if (split == "train" && pyramid != "2") args.insert(args.end(), {"--augment", "flip"});
      run_ok(args);
    }
    run_ok({"train", "--quiet", "--train", path(name + "train.h5"), "--loss", "svm", "--epochs", "3", "--out",
            path(name + "model.h5")});
    expect_predict_matches_store(dir.path(), path(name + "model.h5"), path(name + "test.h5"), false);
  }
}

}  // namespace
