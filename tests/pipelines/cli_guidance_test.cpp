// The command line guides a user who mistypes or asks: `featpipe help CMD`, `featpipe help features`, "did
// you mean" for commands, options, spec names and spec parameters, defaults printed as typed, --quiet silent
// but for errors, and `datasets` telling the image sizes of a folder set from the files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>

#include "cli_runner.h"
#include "featpipe/classify/loss.h"
#include "featpipe/classify/optimizer.h"
#include "featpipe/classify/regularizer.h"
#include "featpipe/classify/schedule.h"
#include "featpipe/core/format.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/extractor.h"
#include "featpipe/pipelines/command.h"
#include "featpipe/vocab/encoder.h"
#include "featpipe/vocab/kernel_map.h"
#include "featpipe/vocab/normalize.h"
#include "test_fixtures.h"

namespace featpipe::testing {
namespace {

class CliGuidance : public ::testing::Test {
 protected:
  /// featpipe run in the test's own folder: the file names the tests give (f.h5, m.h5) are relative, and
  /// the working directory of the test process is shared with the tests that run beside it.
  CliResult run(const std::vector<std::string>& args) {
    return run_featpipe(args, dir_.path(), {}, "cd " + shell_quote(dir_.path().string()) + " && ");
  }
  TempDir dir_;
};

TEST_F(CliGuidance, HelpOfACommandIsItsHelp) {
  const CliResult help = run({"help", "train"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_EQ(help.out, run({"train", "--help"}).out);
  EXPECT_TRUE(contains(help.out, "usage: featpipe train")) << help.out;
  EXPECT_TRUE(contains(run({"--help"}).out, "featpipe help <command>"));
  const CliResult wrong = run({"help", "trian"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_TRUE(contains(wrong.err, "trian: unknown command; did you mean `train`?")) << wrong.err;
  const CliResult topic = run({"help", "featurs"});
  EXPECT_EQ(topic.exit_code, 2);
  EXPECT_TRUE(contains(topic.err, "did you mean `features`?")) << topic.err;
}

TEST_F(CliGuidance, AMistypedCommandOrOptionGetsTheClosestName) {
  const CliResult command = run({"sweeep"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_TRUE(contains(command.err, "featpipe: error: sweeep: unknown command; did you mean `sweep`?"))
      << command.err;
  const CliResult far = run({"frobnicate"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_FALSE(contains(far.err, "did you mean")) << far.err;
  const CliResult option = run({"train", "--train", "t.h5", "--epocs", "3", "--out", "m.h5"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_TRUE(contains(option.err,
                       "--epocs: unrecognised option; did you mean '--epochs'? (see featpipe train "
                       "--help)"))
      << option.err;
  const CliResult unknown = run({"extract", "--colour", "x"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(contains(unknown.err, "--colour: unrecognised option (see featpipe extract --help)"))
      << unknown.err;
}

TEST_F(CliGuidance, DefaultsPrintAsTyped) {
  const CliResult help = run({"match", "--help"});
  EXPECT_TRUE(contains(help.out, "--ratio arg (=0.8)")) << help.out;
  EXPECT_FALSE(contains(help.out, "0000000")) << help.out;
}

/// Every number in `text` written as a default, "(=X)" in --help or "key=X" in `help features`, is the
/// shortest text that reads back as its value: 0.1, not 0.10000000000000001.
void expect_numbers_shortest(const std::string& text, const std::string& where) {
  static const std::regex kDefault(R"((?:\(=|\w=)([-+0-9.eE]+)[ )])");
  int numbers = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kDefault); it != std::sregex_iterator();
       ++it) {
    const std::string written = (*it)[1];
    char* end = nullptr;
    const double value = std::strtod(written.c_str(), &end);
    if (end != written.c_str() + written.size()) continue;  // "1:2:4" and the like
    ++numbers;
    if (written.find_first_of(".eE") == std::string::npos) continue;  // an integer prints as it is
    EXPECT_EQ(written, format_number(value)) << where;
    // A float's default widened to double reads back, but as 0.10000000149011612: no default needs more
    // significant digits than a float holds.
    const std::string mantissa = written.substr(0, written.find_first_of("eE"));
    const std::size_t first = mantissa.find_first_not_of("-+0.");
    const std::size_t digits =
        first == std::string::npos
            ? 0
            : std::count_if(mantissa.begin() + first, mantissa.end(), [](char c) { return std::isdigit(c); });
    EXPECT_LE(digits, 9u) << where << ": " << written;
  }
  EXPECT_GT(numbers, 0) << where << ": no default read; the pattern no longer matches the text";
}

TEST_F(CliGuidance, EveryCommandsHelpPrintsItsNumbersShortest) {
  for (const pipelines::Command& c : pipelines::commands()) {
    const CliResult help = run({c.name, "--help"});
    ASSERT_EQ(help.exit_code, 0) << c.name << ": " << help.err;
    expect_numbers_shortest(help.out, c.name);
    EXPECT_TRUE(contains(help.out, "print nothing but errors")) << c.name << " lists -q";
  }
  EXPECT_TRUE(contains(run({"gradcheck", "--help"}).out, "--lambda arg (=0.1)"));
  EXPECT_TRUE(contains(run({"gradcheck", "--help"}).out, "--step arg (=1e-05)"));
  expect_numbers_shortest(run({"help", "features"}).out, "help features");
}

TEST_F(CliGuidance, TopLevelHelpNamesVersionFeaturesCompletionAndQuiet) {
  const CliResult help = run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* line :
       {"featpipe --version", "featpipe help features", "featpipe completion bash", "-q"}) {
    EXPECT_TRUE(contains(help.out, line)) << line << "\n" << help.out;
  }
  const CliResult version = run({"--version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_TRUE(contains(version.out, "featpipe")) << version.out;
}

/// Each entry of `registry`, and each parameter written key=default, appears in `help`, after its option.
template <typename Value>
void expect_listed(const std::string& help, const std::string& option, const Registry<Value>& registry) {
  const std::size_t section = help.find("\n" + option + ": ");
  ASSERT_NE(section, std::string::npos) << option << " has no section:\n" << help;
  for (const auto& entry : registry) {
    const std::size_t at = help.find("\n" + entry.name + " ", section);
    ASSERT_NE(at, std::string::npos) << option << " " << entry.name;
    for (const ParamHelp& p : entry.params) {
      EXPECT_NE(help.find("    " + p.key + "=" + p.default_value + " ", at), std::string::npos)
          << option << " " << entry.name << " " << p.key;
      EXPECT_TRUE(contains(help, p.meaning)) << entry.name << " " << p.key;
    }
  }
}

TEST_F(CliGuidance, HelpFeaturesListsEveryRegisteredNameWithItsParameters) {
  const CliResult r = run({"help", "features"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_listed(r.out, "--features", features::extractor_registry());
  expect_listed(r.out, "--descriptor", features::descriptor_registry());
  expect_listed(r.out, "--encoding", vocab::encoding_registry());
  expect_listed(r.out, "--norm", vocab::norm_registry());
  expect_listed(r.out, "--kernel-map", vocab::kernel_registry());
  expect_listed(r.out, "--loss", classify::loss_registry());
  expect_listed(r.out, "--reg", classify::regularizer_registry());
  expect_listed(r.out, "--optimizer", classify::optimizer_registry());
  expect_listed(r.out, "--schedule", classify::schedule_registry());
  EXPECT_TRUE(contains(r.out, "    cell=8 ")) << r.out;  // a known default, independent of the registry
}

/// Exit 2 with `message` in the error.
void expect_refused(const CliResult& r, const std::string& message) {
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, message)) << r.err;
}

TEST_F(CliGuidance, AMistypedSpecNameOrParameterGetsTheClosestName) {
  const auto extract = [&](const std::string& features) {
    return run({"extract", "--data", "synthetic:shapes", "--features", features, "--out", "f.h5"});
  };
  expect_refused(extract("hgo(cell=4)"),
                 "unknown extractor 'hgo'; known: raw, huehist, colorhist, hog, lbp; "
                 "did you mean 'hog'?");
  expect_refused(extract("hog(cel=4)"),
                 "--features: hog: unknown parameter cel; allowed: variant, cell, bins, clip, sigma; did you "
                 "mean 'cell'?");
  expect_refused(extract("huehist(bnis=4,pyramd=2)"),
                 "did you mean 'bins' for 'bnis', 'pyramid' for 'pyramd'?");
  const CliResult far = extract("hog(colour=1)");
  expect_refused(far, "unknown parameter colour");
  EXPECT_FALSE(contains(far.err, "did you mean")) << far.err;
  expect_refused(
      run({"descriptors", "--data", "synthetic:shapes", "--descriptor", "dsift(stpe=4)", "--out", "d.h5"}),
      "did you mean 'step'?");
  expect_refused(run({"encode", "--vocab", "v.h5", "--norm", "powr", "--out", "e.h5"}),
                 "did you mean 'power'?");
  expect_refused(run({"datasets", "--data", "fashon-mnist"}), "did you mean 'fashion-mnist'?");
}

TEST_F(CliGuidance, QuietPrintsNothingButErrors) {
  const std::string data = "synthetic:shapes(classes=3,size=16,train=60,test=30)";
  const auto silent = [&](const std::vector<std::string>& args) {
    const CliResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    EXPECT_EQ(r.out, "") << args[0];
    EXPECT_EQ(r.err, "") << args[0];
  };
  silent({"extract", "-q", "--data", data, "--features", "hog(cell=4)", "--out", "f.h5"});
  silent({"train", "-q", "--train", "f.h5", "--epochs", "2", "--out", "m.h5"});
  silent({"eval", "--quiet", "--model", "m.h5", "--store", "f.h5"});
  silent({"eval", "-q", "--model", "m.h5", "--data", "f.h5"});  // the deprecation note, silenced
  silent({"inspect", "-q", "f.h5"});
  silent({"datasets", "-q", "--data", data});
  silent({"descriptors", "-q", "--data", data, "--descriptor", "patch(size=4,stride=4)", "--sample", "200",
          "--out", "d.h5"});
  silent({"vocab", "-q", "--descriptors", "d.h5", "--k", "4", "--out", "v.h5"});
  silent({"verify", "-q", "m.h5"});
  // The same commands say what they did without -q, notes and warnings included.
  const CliResult train = run({"train", "--train", "f.h5", "--epochs", "2", "--out", "m.h5"});
  EXPECT_TRUE(contains(train.out, "epoch   2 ")) << train.out;
  const CliResult eval = run({"eval", "--model", "m.h5", "--data", "f.h5"});
  EXPECT_TRUE(contains(eval.out, "accuracy")) << eval.out;
  EXPECT_TRUE(contains(eval.err, "featpipe eval: note: --data is deprecated")) << eval.err;
  // Errors are printed whatever -q says.
  const CliResult bad = run({"train", "-q", "--train", "missing.h5", "--out", "m2.h5"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(contains(bad.err, "featpipe: error: ")) << bad.err;
  EXPECT_EQ(bad.out, "");
}

TEST_F(CliGuidance, ParametersPrintAsTyped) {
  ASSERT_EQ(run({"extract", "-q", "--data", "synthetic:shapes(classes=2,size=16,train=40,test=10)", "--out",
                 "f.h5"})
                .exit_code,
            0);
  const CliResult train = run({"train", "--train", "f.h5", "--epochs", "1", "--lr", "0.0012345678",
                               "--lambda", "0.3", "--out", "m.h5"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_TRUE(contains(train.out, "l2 0.3, adam lr 0.0012345678,")) << train.out;
  const CliResult gradcheck = run({"gradcheck", "--step", "0.000123456789"});
  EXPECT_TRUE(contains(gradcheck.out, "h = 0.000123456789,")) << gradcheck.out;
}

TEST_F(CliGuidance, DatasetsTellsTheSizesOfAFolderSetFromItsFiles) {
  FolderFixture same;
  same.varying_sizes = false;
  write_folder_dataset(dir_ / "same", same);
  write_folder_dataset(dir_ / "mixed");  // 20..28 x 24..26
  const CliResult r = run({"datasets", "--data", "folder:" + (dir_ / "same").string()});
  const CliResult m = run({"datasets", "--data", "folder:" + (dir_ / "mixed").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "12 train / 6 test images, 24x24,")) << r.out;
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_TRUE(contains(m.out, "sizes from 20x24 to 28x26")) << m.out;
  EXPECT_TRUE(contains(m.out, "--resize WxH makes them one")) << m.out;
}

}  // namespace
}  // namespace featpipe::testing
