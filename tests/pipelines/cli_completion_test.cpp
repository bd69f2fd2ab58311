// `featpipe completion bash`: the script, sourced in bash, offers the commands, a command's options and the
// names of a spec option's registry, as the tables the command parses with hold them.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "featpipe/features/extractor.h"
#include "test_fixtures.h"

namespace featpipe::testing {
namespace {

class CliCompletion : public ::testing::Test {
 protected:
  void SetUp() override {
    const CliResult r = run_featpipe({"completion", "bash"}, dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ofstream(dir_ / "featpipe.bash") << r.out;
  }

  /// The candidates _featpipe offers for the words typed so far, the last one being completed, one per line
  /// and sorted. `line`, when given, is COMP_LINE (the cursor at its end), the words being bash's split of
  /// it at its word-break characters.
  std::string complete(const std::vector<std::string>& words, const std::string& line = "") {
    std::string array;
    for (const std::string& w : words) array += " " + shell_quote(w);
    const std::string typed = line.empty() ? ""
                                           : "COMP_LINE=" + shell_quote(line) +
                                                 "; COMP_POINT=" + std::to_string(line.size()) + "; ";
    const std::string script = "source " + shell_quote((dir_ / "featpipe.bash").string()) + "; " + typed +
                               "COMP_WORDS=(" + array + "); COMP_CWORD=" + std::to_string(words.size() - 1) +
                               "; _featpipe; printf '%s\\n' \"${COMPREPLY[@]}\" | sort > " +
                               shell_quote((dir_ / "candidates").string());
    std::ofstream(dir_ / "complete.sh") << script << "\n";
    EXPECT_EQ(std::system(("bash " + shell_quote((dir_ / "complete.sh").string())).c_str()), 0);
    return slurp(dir_ / "candidates");
  }

  TempDir dir_;
};

TEST_F(CliCompletion, OffersCommandsOptionsAndSpecNames) {
  EXPECT_EQ(complete({"featpipe", "tr"}), "train\n");
  EXPECT_EQ(complete({"featpipe", "help", "fe"}), "features\n");
  EXPECT_EQ(complete({"featpipe", "train", "--ep"}), "--epochs\n--eps\n");
  EXPECT_EQ(complete({"featpipe", "extract", "--features", "h"}), "hog\nhuehist\n");
  EXPECT_EQ(complete({"featpipe", "extract", "--features", "raw+h"}), "raw+hog\nraw+huehist\n");
  EXPECT_EQ(complete({"featpipe", "encode", "--encoding", "v"}), "vlad\n");
  EXPECT_EQ(complete({"featpipe", "train", "--optimizer", "ad"}), "adagrad\nadam\n");
  // Common options too; a word that is no option is left to file-name completion.
  EXPECT_EQ(complete({"featpipe", "inspect", "--qu"}), "--quiet\n");
  EXPECT_EQ(complete({"featpipe", "inspect", "f"}), "\n");
}

TEST_F(CliCompletion, CompletesATermAfterParametersAsBashSplitsTheLine) {
  // Bash breaks `hog(cell=4)+h` at '(' and '=' and replaces only "4)+h": the candidates start there.
  EXPECT_EQ(complete({"featpipe", "extract", "--features", "hog", "(", "cell", "=", "4)+h"},
                     "featpipe extract --features hog(cell=4)+h"),
            "4)+hog\n4)+huehist\n");
  EXPECT_EQ(complete({"featpipe", "train", "--lo"}, "featpipe train --lo"), "--loss\n");
}

TEST_F(CliCompletion, OffersEveryRegisteredExtractor) {
  std::string expected;
  std::vector<std::string> names = features::extractor_registry().names();
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) expected += n + "\n";
  EXPECT_EQ(complete({"featpipe", "extract", "--features", ""}), expected);
}

TEST_F(CliCompletion, KnowsOnlyBash) {
  const CliResult r = run_featpipe({"completion", "zsh"}, dir_.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "featpipe: error: zsh: featpipe completion takes the shell, and knows bash"))
      << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace featpipe::testing
