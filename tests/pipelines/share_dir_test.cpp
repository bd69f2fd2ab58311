// featpipe finds its shared files from its own location: the installed layout beside the binary
// (<prefix>/bin/featpipe -> <prefix>/share/featpipe/pipelines) wins, the source tree it was built from is
// the fallback, and FEATPIPE_REPORT_SCRIPT overrides both. Seen through `featpipe compare`, which runs
// report/report.py, with a copy of the binary placed in a temporary prefix.
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::testing::CliResult;
using featpipe::testing::shell_quote;
using featpipe::testing::slurp;
using featpipe::testing::TempDir;

namespace {

constexpr const char* kData = "synthetic:shapes(classes=3,train=60,test=15,size=16)";

/// A stand-in for report.py that writes `marker` as DIR/report.html, to tell which copy ran.
void write_marker_script(const fs::path& script, const std::string& marker) {
  fs::create_directories(script.parent_path());
  std::ofstream(script) << "import sys\nopen(sys.argv[1] + '/report.html', 'w').write('" << marker << "')\n";
}

class ShareDir : public ::testing::Test {
 protected:
  TempDir dir_;
  fs::path installed_ = dir_ / "prefix" / "bin" / "featpipe";
  fs::path installed_script_ = dir_ / "prefix" / "share" / "featpipe" / "pipelines" / "report" / "report.py";

  void SetUp() override {
    // A copy, not a link: the running binary's own path (/proc/self/exe) resolves links.
    fs::create_directories(installed_.parent_path());
    fs::copy_file(FEATPIPE_BINARY, installed_);
    fs::permissions(installed_, fs::perms::owner_all);
    for (const char* split : {"train", "test"}) {
      const auto r = run("", {"extract", "--data", kData, "--split", split, "--features", "raw", "--out",
                              (dir_ / (std::string(split) + ".h5")).string()});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const auto r = run("", {"train", "--train", (dir_ / "train.h5").string(), "--epochs", "1", "--out",
                            (dir_ / "model.h5").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  /// `env ENV featpipe args... --quiet` with the copy in the prefix, FEATPIPE_REPORT_SCRIPT unset unless
  /// ENV sets it.
  CliResult run(const std::string& env, const std::vector<std::string>& args) {
    const fs::path out = dir_ / "run.stdout", err = dir_ / "run.stderr";
    std::string cmd = "env -u FEATPIPE_REPORT_SCRIPT " + env + " " + shell_quote(installed_.string());
    for (const std::string& a : args) cmd.append(" ").append(shell_quote(a));
    cmd.append(" --quiet >")
        .append(shell_quote(out.string()))
        .append(" 2>")
        .append(shell_quote(err.string()));
    return featpipe::testing::collect(std::system(cmd.c_str()), out, err);
  }

  /// The start of the report, enough to tell a marker from a real report.
  std::string head_of_report() const { return slurp(dir_ / "report" / "report.html").substr(0, 32); }

  /// `featpipe compare` of the model on the test store; the report lands in dir_/report.
  CliResult compare(const std::string& env) {
    return run(env, {"compare", (dir_ / "model.h5").string(), "--test", (dir_ / "test.h5").string(), "--out",
                     (dir_ / "report").string()});
  }
};

TEST_F(ShareDir, TheInstalledLayoutBesideTheBinaryIsUsed) {
  write_marker_script(installed_script_, "installed");
  const auto r = compare("");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(head_of_report(), "installed");
}

TEST_F(ShareDir, WithoutAnInstalledLayoutTheSourceTreeIsUsed) {
  const auto r = compare("");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(featpipe::testing::contains(slurp(dir_ / "report" / "report.html"), "<table"))
      << "the source tree's report.py should have drawn the report";
}

TEST_F(ShareDir, FeatpipeReportScriptOverridesBoth) {
  write_marker_script(installed_script_, "installed");
  write_marker_script(dir_ / "mine.py", "environment");
  const auto r = compare("FEATPIPE_REPORT_SCRIPT=" + shell_quote((dir_ / "mine.py").string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(head_of_report(), "environment");
}

}  // namespace
