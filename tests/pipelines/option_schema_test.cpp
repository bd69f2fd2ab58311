// The option schema (pipelines/src/option_schema.cpp): every numeric option of every command has a range,
// and a value outside it (a negative count, NaN, an infinity, an absurd size) ends with exit 2 naming the
// option before any work, whatever the command.
#include "../../pipelines/src/option_schema.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "cli_runner.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/command.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

// --help parses each command's options, and a numeric option without a range is an internal error there.
TEST(OptionSchema, EveryNumericOptionOfEveryCommandHasARange) {
  const TempDir dir;
  for (const featpipe::pipelines::Command& c : featpipe::pipelines::commands()) {
    const std::string command = c.name;
    const CliResult r = run_featpipe({command, "--help"}, dir.path());
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    EXPECT_FALSE(contains(r.err, "has no range")) << command << ": " << r.err;
  }
}

TEST(OptionSchema, ValuesOutsideTheRangeAreRefusedNamingTheOption) {
  const featpipe::pipelines::OptionRange* lr = featpipe::pipelines::option_range("lr");
  ASSERT_NE(lr, nullptr);
  EXPECT_NO_THROW(featpipe::pipelines::check_option_value(*lr, 0.01, "0.01"));
  for (double bad : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    try {
      featpipe::pipelines::check_option_value(*lr, bad, "x");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const featpipe::InputError& e) {
      EXPECT_TRUE(contains(e.what(), "--lr: must be ")) << e.what();
    }
  }
  const featpipe::pipelines::OptionRange* beta2 = featpipe::pipelines::option_range("beta2");
  ASSERT_NE(beta2, nullptr);
  EXPECT_NO_THROW(featpipe::pipelines::check_option_value(*beta2, 0, "0"));
  EXPECT_THROW(featpipe::pipelines::check_option_value(*beta2, 1, "1"), featpipe::InputError);  // [0, 1)
  EXPECT_EQ(featpipe::pipelines::option_range("no-such-option"), nullptr);
}

struct BadValue {
  std::vector<std::string> args;  // the command and its other arguments
  std::string option, value;
  std::string message;  // expected after "featpipe: error: "
};

// Each ran with the value before (a wrapped count, a fallback to a default, a message naming another
// option, a run out of memory); none reads an input, since the options are checked first.
TEST(OptionSchema, EveryCommandRefusesBadNumbersBeforeAnyWork) {
  const TempDir dir;
  const std::string missing = (dir / "missing.h5").string(), out = (dir / "out.h5").string();
  const std::vector<BadValue> cases = {
      {{"extract", "--out", out}, "--block", "-1", "--block: must be >= 1 (images or descriptors), got '-1'"},
      {{"descriptors", "--out", out}, "--sample", "-5", "--sample: must be >= 1"},
      {{"vocab", "--descriptors", missing, "--out", out}, "--batch", "-1", "--batch: must be >= 1"},
      {{"vocab", "--descriptors", missing, "--out", out}, "--k", "0", "--k: must be in [1, 1048576] (words)"},
      {{"vocab", "--descriptors", missing, "--out", out}, "--zca-eps", "inf", "--zca-eps: must be a finite"},
      {{"encode", "--vocab", missing, "--out", out}, "--soft-beta", "nan", "--soft-beta: must be a finite"},
      {{"encode", "--vocab", missing, "--out", out},
       "--soft-neighbours",
       "100000",
       "--soft-neighbours: must be in [1, 64]"},
      {{"encode", "--vocab", missing, "--out", out}, "--block", "-1", "--block: must be >= 1"},
      {{"train", "--train", missing, "--out", out}, "--beta2", "2", "--beta2: must be in [0, 1)"},
      {{"train", "--train", missing, "--out", out}, "--lr", "nan", "--lr: must be a finite number > 0"},
      {{"train", "--train", missing, "--out", out}, "--lambda", "-1", "--lambda: must be >= 0"},
      {{"train", "--train", missing, "--out", out}, "--dropout", "1", "--dropout: must be in [0, 1)"},
      {{"train", "--train", missing, "--out", out}, "--threads", "-2", "--threads: must be in [0, "},
      {{"sweep", "--train", missing, "--val", missing, "--out", out},
       "--steps",
       "100000",
       "--steps: must be in [1, 1000] (grid points)"},
      {{"predict", "--model", missing, "x.png"}, "--top", "0", "--top: must be in [1, "},
      {{"match", "a.png", "b.png"}, "--ratio", "nan", "--ratio: must be a finite number in (0, 1]"},
      {{"inspect", missing}, "--rows", "-1", "--rows: must be >= 0 (rows), got '-1'"},
      {{"gradcheck"}, "--step", "0", "--step: must be in (0, 1)"},
      {{"gradcheck"}, "--classes", "1", "--classes: must be in [2, "},
  };
  for (const BadValue& c : cases) {
    std::vector<std::string> args = c.args;
    args.push_back(c.option);
    args.push_back(c.value);
    const CliResult r = run_featpipe(args, dir.path());
    EXPECT_EQ(r.exit_code, 2) << c.args[0] << " " << c.option << " " << c.value << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: " + c.message)) << c.args[0] << ": " << r.err;
    EXPECT_FALSE(contains(r.err, "missing.h5")) << "an input was read first: " << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(out));
}

// boost::program_options replaced each %placeholder% of its message until none was left, so a value or an
// option holding its own placeholder hung the command (found by fuzz_options: `sweep --seed` with a value
// holding %value%). The CPU-time limit turns such a hang into a failure.
TEST(OptionSchema, ValuesHoldingPlaceholdersOfTheMessageAreShownAsTyped) {
  const TempDir dir;
  const std::string missing = (dir / "missing.h5").string(), out = (dir / "out.h5").string();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"sweep", "--train", missing, "--val", missing, "--out", out, "--seed", "%value%'"},
       "('%value%'') for option '--seed' is invalid"},
      {{"train", "--train", missing, "--out", out, "--threads", "%value%%prefix%"}, "'%value%%prefix%'"},
      {{"train", "--train", missing, "--out", out, "--%canonical_option%", "1"},
       "--%canonical_option%: unrecognised option"},
  };
  for (const auto& [args, message] : cases) {
    const CliResult r = run_featpipe(args, dir.path(), {}, "ulimit -t 60; ");
    EXPECT_EQ(r.exit_code, 2) << args.back() << ": " << r.err;
    EXPECT_TRUE(contains(r.err, message)) << r.err;
    EXPECT_FALSE(contains(r.err, "missing.h5")) << "an input was read first: " << r.err;
  }
}

}  // namespace
