// The command line guides a user who mistypes or asks: `featpipe help CMD`, "did you mean" for commands and
// options, defaults printed as typed, and `datasets` telling the image sizes of a folder set from the files.
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "test_fixtures.h"

namespace featpipe::testing {
namespace {

class CliGuidance : public ::testing::Test {
 protected:
  CliResult run(const std::vector<std::string>& args) { return run_featpipe(args, dir_.path()); }
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
