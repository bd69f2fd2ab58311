// `featpipe compare` writes a self-contained report that a browser renders: headless Chromium loads
// report.html, and the rendered page has the results table and every plot as a decodable image.
#include <gtest/gtest.h>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
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
  const auto r = run_featpipe({"compare", path("softmax.h5"), path("svm_sweep.h5"), "--test", path("test.h5"),
                               "--out", path("report")},
                              dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("softmax"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("svm_sweep"), std::string::npos) << r.out;

  const fs::path page = dir_ / "report" / "report.html";
  ASSERT_TRUE(fs::exists(page));
  const fs::path profile = dir_ / "chromium-profile";
  const fs::path dom_file = dir_ / "dom.html";
  ASSERT_EQ(std::system(
                (chromium("--dump-dom", page, profile) + " > " + dom_file.string() + " 2>/dev/null").c_str()),
            0);
  const std::string dom = featpipe::testing::slurp(dom_file);
  EXPECT_NE(dom.find("<table id=\"results\">"), std::string::npos) << "no results table in the rendered page";
  for (const char* cell : {"softmax", "svm_sweep", "test acc", "gain over raw"}) {
    EXPECT_NE(dom.find(cell), std::string::npos) << cell;
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
