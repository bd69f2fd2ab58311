// `featpipe compare` writes a self-contained report that a browser renders: headless Chromium loads
// report.html, and the rendered page has the results table and every plot as a decodable image.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/pipelines/report_statistics.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

namespace {

constexpr const char* kData = "synthetic:shapes(classes=3,train=150,test=30,size=16)";
constexpr const char* kChromium = "/usr/bin/chromium";

std::vector<uint8_t> base64_decode(const std::string& text) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<uint8_t> out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const auto v = alphabet.find(c);
    if (v == std::string::npos) continue;  // padding
    buffer = buffer << 6 | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(uint8_t(buffer >> bits));
    }
  }
  return out;
}

std::string chromium(const std::string& mode, const fs::path& page, const fs::path& profile) {
  return std::string(kChromium) +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
         "--disable-background-networking"
         " --disable-component-update --disable-sync --user-data-dir=" +
         profile.string() + " " + mode + " file://" + page.string();
}

class ReportCli : public ::testing::Test {
 protected:
  TempDir dir_;

  void run_ok(const std::vector<std::string>& args) {
    const auto r = run_featpipe(args, dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  std::string path(const std::string& name) { return (dir_ / name).string(); }
};

/// The images of class `cls` in the rendered page, each decoded from its data URI, with their alt texts.
std::vector<std::pair<std::string, cv::Mat>> images_of_class(const std::string& dom, const std::string& cls) {
  const std::string alt = "<img class=\"" + cls + "\" alt=\"", src = "\" src=\"data:image/png;base64,";
  std::vector<std::pair<std::string, cv::Mat>> images;
  for (std::size_t at = dom.find(alt); at != std::string::npos; at = dom.find(alt, at + 1)) {
    const std::size_t caption_end = dom.find(src, at);
    if (caption_end == std::string::npos) break;
    const std::size_t data_begin = caption_end + src.size();
    const std::string data = dom.substr(data_begin, dom.find('"', data_begin) - data_begin);
    images.emplace_back(dom.substr(at + alt.size(), caption_end - at - alt.size()),
                        cv::imdecode(base64_decode(data), cv::IMREAD_COLOR));
  }
  return images;
}

/// Adds a "warnings" array to a model's provenance, as train and sweep record them.
void record_warning(const std::string& model_path, const std::string& warning) {
  featpipe::classify::ModelFile m = featpipe::classify::load_model(model_path);
  m.provenance["warnings"] = {warning};
  const std::string rewritten = model_path + ".warned.h5";  // save_model refuses to overwrite its input
  featpipe::classify::save_model(rewritten, m.model, m.history, m.provenance);
  fs::rename(rewritten, model_path);
}

TEST_F(ReportCli, ChromiumRendersTheTableAndEveryPlot) {
  ASSERT_TRUE(fs::exists(kChromium)) << "Debian's chromium is needed (make deps installs it)";
  for (const char* split : {"train", "val", "test"}) {
    run_ok({"extract", "--quiet", "--data", kData, "--val-size", "30", "--split", split, "--features", "raw",
            "--out", path(std::string(split) + ".h5")});
  }
  run_ok({"train", "--quiet", "--train", path("train.h5"), "--val", path("val.h5"), "--loss", "softmax",
          "--epochs", "3", "--out", path("softmax.h5")});
  run_ok({"sweep", "--quiet", "--train", path("train.h5"), "--val", path("val.h5"), "--loss", "svm",
          "--lr-range", "1e-4:1e-2", "--lambda-range", "1e-5:1e-3", "--steps", "2", "--epochs", "2", "--out",
          path("svm_sweep.h5")});
  record_warning(path("softmax.h5"), "only 3 epochs: the loss was still falling");
  const auto r = run_featpipe({"compare", path("softmax.h5"), path("svm_sweep.h5"), "--test", path("test.h5"),
                               "--out", path("report")},
                              dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The statistics of summary.json agree with themselves: the gain is the difference of the discordant
  // images, the p-value McNemar's of them, the interval Wilson's of the accuracy.
  const nlohmann::json summary =
      nlohmann::json::parse(featpipe::testing::slurp(dir_ / "report" / "summary.json"));
  ASSERT_EQ(summary["baseline"], "softmax");
  const nlohmann::json& svm = summary["rows"][1];
  const nlohmann::json& vs = svm["vs_baseline"];
  const int64_t only_svm = vs["only_model"], only_softmax = vs["only_baseline"];
  EXPECT_EQ(vs["images"], 30);
  EXPECT_NEAR(vs["gain"].get<double>(), double(only_svm - only_softmax) / 30, 1e-12);
  EXPECT_NEAR(svm["gain"].get<double>(),
              svm["test_acc"].get<double>() - summary["rows"][0]["test_acc"].get<double>(), 1e-12);
  EXPECT_NEAR(vs["p_value"].get<double>(), featpipe::pipelines::mcnemar_exact_p(only_svm, only_softmax),
              1e-12);
  const auto ci = featpipe::pipelines::wilson_interval(std::llround(svm["test_acc"].get<double>() * 30), 30);
  EXPECT_NEAR(svm["test_ci"][0].get<double>(), ci.low, 1e-12);
  EXPECT_NEAR(svm["test_ci"][1].get<double>(), ci.high, 1e-12);
  EXPECT_EQ(svm["top_k"], 3) << "top-5 is capped at the 3 classes";
  EXPECT_EQ(svm["train_rows"], 120);
  EXPECT_EQ(svm["val_rows"], 30);
  EXPECT_EQ(summary["rows"][0]["warnings"], nlohmann::json({"only 3 epochs: the loss was still falling"}));
  const bool noise = vs["within_noise"];
  EXPECT_EQ(noise, vs["p_value"].get<double>() >= 0.05);
  // the printed table: the p-value and the noise mark after the gain
  EXPECT_NE(r.out.find("McNemar p"), std::string::npos) << r.out;
  const std::string svm_line = r.out.substr(r.out.find("\nsvm_sweep "));
  EXPECT_EQ(svm_line.substr(0, svm_line.find('\n', 1)).find("within noise") != std::string::npos, noise)
      << r.out;
  EXPECT_EQ(
      r.err.find("featpipe compare: warning: the test set (30 images) is too small to tell svm_sweep") !=
          std::string::npos,
      noise || std::abs(vs["gain"].get<double>()) < (ci.high - ci.low) / 2)
      << r.err;
  EXPECT_NE(r.out.find("softmax"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("svm_sweep"), std::string::npos) << r.out;
  // the encodings table, for models of extracted features too: their spec as the method, no vocabulary
  for (const nlohmann::json& row : summary["rows"]) {
    EXPECT_EQ(row["encoding"], nlohmann::json({{"method", "raw"}, {"k", nullptr}, {"normalisation", "-"}}));
  }
  const std::size_t encodings = r.out.find("\nencodings (Chatfield et al. 2011)\n");
  ASSERT_NE(encodings, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nsvm_sweep ", encodings), std::string::npos) << r.out;

  const fs::path page = dir_ / "report" / "report.html";
  ASSERT_TRUE(fs::exists(page));
  const fs::path profile = dir_ / "chromium-profile";
  const fs::path dom_file = dir_ / "dom.html";
  ASSERT_EQ(std::system(
                (chromium("--dump-dom", page, profile) + " > " + dom_file.string() + " 2>/dev/null").c_str()),
            0);
  const std::string dom = featpipe::testing::slurp(dom_file);
  EXPECT_NE(dom.find("<table id=\"results\">"), std::string::npos) << "no results table in the rendered page";
  EXPECT_NE(dom.find("<table id=\"encodings\">"), std::string::npos) << "no encodings table in the page";
  for (const char* cell :
       {"softmax", "svm_sweep", "test acc [95% CI]", "gain over raw", "McNemar p", "top-3 ", "120/30/30",
        "<section id=\"summary\">", "Best pipeline: ", "Per-class change against softmax",
        "<table id=\"class-change-svm_sweep\">", "Most confused class pairs",
        "<table id=\"confused-softmax\">", "McNemar exact p = ", "Most confident mistakes",
        "Recorded warning:</strong> only 3 epochs: the loss was still falling"}) {
    EXPECT_NE(dom.find(cell), std::string::npos) << cell;
  }
  // the interval of each model, as the table shows it
  for (const nlohmann::json& row : summary["rows"]) {
    char interval[64];
    std::snprintf(interval, sizeof interval, "[%.4f, %.4f]", row["test_ci"][0].get<double>(),
                  row["test_ci"][1].get<double>());
    EXPECT_NE(dom.find(interval), std::string::npos) << interval;
  }
  if (noise) {
    EXPECT_NE(dom.find("(within noise)"), std::string::npos);
  }
  // the galleries: a decodable thumbnail, labelled, per mistake (up to 8 a model)
  const auto thumbs = images_of_class(dom, "thumb");
  std::size_t mistakes = 0;
  for (const nlohmann::json& row : summary["rows"]) {
    const double wrong = std::round((1 - row["test_acc"].get<double>()) * 30);
    mistakes += std::size_t(std::min(8.0, wrong));
  }
  ASSERT_GT(mistakes, 0u) << "3 epochs on 120 images leave mistakes to show";
  EXPECT_EQ(thumbs.size(), mistakes);
  for (const auto& [caption, image] : thumbs) {
    EXPECT_FALSE(image.empty()) << "thumbnail '" << caption << "' is not a decodable PNG";
    EXPECT_EQ(image.cols, 96) << caption;
    EXPECT_NE(caption.find("true "), std::string::npos) << caption;
    EXPECT_NE(caption.find(", predicted "), std::string::npos) << caption;
  }
  // Every plot: loss, val accuracy, confusion, the sweep heat map, the templates of both raw models.
  // (std::regex recurses per character and overflows the stack on megabytes of base64: plain finds.)
  const std::string alt = "<img class=\"plot\" alt=\"", src = "\" src=\"data:image/png;base64,";
  std::vector<std::string> captions;
  for (std::size_t at = dom.find(alt); at != std::string::npos; at = dom.find(alt, at + 1)) {
    const std::size_t caption_end = dom.find(src, at);
    ASSERT_NE(caption_end, std::string::npos);
    captions.push_back(dom.substr(at + alt.size(), caption_end - at - alt.size()));
    const std::size_t data_begin = caption_end + src.size();
    const std::string data = dom.substr(data_begin, dom.find('"', data_begin) - data_begin);
    const cv::Mat decoded = cv::imdecode(base64_decode(data), cv::IMREAD_COLOR);
    EXPECT_FALSE(decoded.empty()) << "plot '" << captions.back() << "' is not a decodable PNG";
    EXPECT_GT(decoded.cols, 100) << captions.back();
  }
  const std::vector<std::string> expected = {"Training loss per iteration",
                                             "Validation accuracy per epoch",
                                             "Confusion matrices on the test split",
                                             "Learned templates: softmax",
                                             "Sweep: svm_sweep",
                                             "Learned templates: svm_sweep"};
  EXPECT_EQ(captions, expected);

  const fs::path shot = dir_ / "report.png";
  ASSERT_EQ(std::system((chromium("--window-size=1200,2400 --screenshot=" + shot.string(), page, profile) +
                         " > /dev/null 2>&1")
                            .c_str()),
            0);
  const cv::Mat screenshot = cv::imread(shot.string());
  ASSERT_FALSE(screenshot.empty());
  EXPECT_EQ(screenshot.cols, 1200);
  cv::Scalar mean, stddev;
  cv::meanStdDev(screenshot, mean, stddev);
  EXPECT_GT(stddev[0], 10.0) << "the screenshot is blank";
}

TEST_F(ReportCli, ATestStoreSharingTrainingImagesIsRefusedUnlessAllowed) {
  for (const char* split : {"train", "val", "test"}) {
    run_ok({"extract", "--quiet", "--data", kData, "--val-size", "30", "--split", split, "--features", "raw",
            "--out", path(std::string(split) + ".h5")});
  }
  run_ok({"extract", "--quiet", "--data", kData, "--subset", "15", "--split", "test", "--features", "raw",
          "--out", path("test15.h5")});
  run_ok({"train", "--quiet", "--train", path("train.h5"), "--epochs", "1", "--out", path("m.h5")});
  const auto leak = run_featpipe(
      {"compare", path("m.h5"), "--test", path("train.h5"), "--out", path("report"), "--no-plots"},
      dir_.path());
  EXPECT_EQ(leak.exit_code, 2) << leak.err;
  EXPECT_NE(leak.err.find("train.h5: shares 120 of its 120 images with "), std::string::npos) << leak.err;
  EXPECT_NE(leak.err.find("--allow-overlap"), std::string::npos) << leak.err;
  EXPECT_FALSE(fs::exists(dir_ / "report"));
  // the held-out val split is other images of the same source set: accepted
  run_ok({"compare", path("m.h5"), "--test", path("val.h5"), "--out", path("report"), "--no-plots"});
  run_ok({"compare", path("m.h5"), "--test", path("train.h5"), "--out", path("report"), "--no-plots",
          "--allow-overlap"});
  // the training store gone: the split options recorded in both provenances decide
  fs::rename(dir_ / "train.h5", dir_ / "train_copy.h5");
  const auto same_split = run_featpipe(
      {"compare", path("m.h5"), "--test", path("train_copy.h5"), "--out", path("report3"), "--no-plots"},
      dir_.path());
  EXPECT_EQ(same_split.exit_code, 2) << same_split.err;
  EXPECT_NE(same_split.err.find("train_copy.h5: shares 120 of its 120 images"), std::string::npos)
      << same_split.err;
  const auto unknown = run_featpipe(
      {"compare", path("m.h5"), "--test", path("val.h5"), "--out", path("report3"), "--no-plots"},
      dir_.path());
  EXPECT_EQ(unknown.exit_code, 0) << unknown.err;
  EXPECT_NE(unknown.err.find("featpipe compare: warning: " + path("m.h5") + ": its training store is gone"),
            std::string::npos)
      << unknown.err;
  // McNemar's test needs the same images under both models
  const auto other = run_featpipe({"compare", path("m.h5"), path("m.h5"), "--test", path("test.h5"),
                                   path("test15.h5"), "--out", path("report2"), "--no-plots"},
                                  dir_.path());
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_NE(other.err.find("test15.h5: and the baseline's test store " + path("test.h5")), std::string::npos)
      << other.err;
  EXPECT_FALSE(fs::exists(dir_ / "report2"));
}

// The gallery's images are read from the dataset the test store records; moved away, the report is still
// written and says why there is no gallery.
TEST_F(ReportCli, AMovedDatasetLeavesANoteInsteadOfTheGallery) {
  featpipe::testing::write_folder_dataset(dir_ / "shapes", {.train_per_class = 6, .test_per_class = 3});
  const std::string data = "folder:" + path("shapes");
  for (const char* split : {"train", "test"}) {
    run_ok({"extract", "--quiet", "--data", data, "--resize", "16x16", "--split", split, "--features", "raw",
            "--out", path(std::string(split) + ".h5")});
  }
  run_ok({"train", "--quiet", "--train", path("train.h5"), "--epochs", "1", "--out", path("m.h5")});
  fs::rename(dir_ / "shapes", dir_ / "moved");
  const auto r = run_featpipe({"compare", path("m.h5"), "--test", path("test.h5"), "--out", path("report")},
                              dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("featpipe compare: warning: m: no gallery of mistakes: the images of "),
            std::string::npos)
      << r.err;
  const std::string page = featpipe::testing::slurp(dir_ / "report" / "report.html");
  EXPECT_NE(page.find("No gallery of mistakes: the images of "), std::string::npos);
  EXPECT_NE(page.find(path("shapes")), std::string::npos) << "the note names the dataset";
  EXPECT_EQ(page.find("class='thumb'"), std::string::npos);
}

TEST_F(ReportCli, MismatchedTestStoreIsRefused) {
  run_ok({"extract", "--quiet", "--data", kData, "--features", "raw", "--out", path("train.h5")});
  run_ok({"extract", "--quiet", "--data", kData, "--split", "test", "--features", "raw(gray=1)", "--out",
          path("test_gray.h5")});
  run_ok({"train", "--quiet", "--train", path("train.h5"), "--epochs", "1", "--out", path("m.h5")});
  const auto r = run_featpipe(
      {"compare", path("m.h5"), "--test", path("test_gray.h5"), "--out", path("report")}, dir_.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("test_gray.h5"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "report"));
}

// compare --out naming a file, a folder under /proc or a read-only folder ended with exit 3 "internal
// error: filesystem error" after the evaluation; now exit 2 naming --out before any work.
TEST_F(ReportCli, AnOutFolderTheReportCannotGoToIsRefusedFirst) {
  run_ok({"extract", "--quiet", "--data", kData, "--features", "raw", "--out", path("train.h5")});
  run_ok({"train", "--quiet", "--train", path("train.h5"), "--epochs", "1", "--out", path("m.h5")});
  fs::create_directories(dir_ / "locked");
  fs::permissions(dir_ / "locked", fs::perms::owner_read | fs::perms::owner_exec);
  const bool root = ::geteuid() == 0;  // root writes anywhere: the read-only case needs another user
  std::vector<std::pair<std::string, std::string>> cases = {{path("m.h5"), "is a file, not a folder"},
                                                            {"/proc/featpipe-report", "is not writable"}};
  if (!root) cases.emplace_back(path("locked/report"), "is not writable");
  for (const auto& [out, problem] : cases) {
    const auto r =
        run_featpipe({"compare", path("m.h5"), "--test", path("train.h5"), "--out", out}, dir_.path());
    EXPECT_EQ(r.exit_code, 2) << out << ": " << r.err;
    EXPECT_NE(r.err.find("featpipe: error: --out: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(problem), std::string::npos) << out << ": " << r.err;
  }
  fs::permissions(dir_ / "locked", fs::perms::owner_all);
}

}  // namespace
