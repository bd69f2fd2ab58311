// run_isolated: the child's answer, its InputError, a crash and a hang each come back to the parent as
// their own outcome, and the parent survives all of them.
#include "../../pipelines/src/isolated_run.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "featpipe/core/errors.h"

namespace featpipe::pipelines {
namespace {

using Outcome = IsolatedResult::Outcome;

TEST(IsolatedRun, AnswerErrorCrashAndHangAreToldApart) {
  const IsolatedResult done = run_isolated([] { return std::string("all well"); }, 60);
  EXPECT_EQ(done.outcome, Outcome::done);
  EXPECT_EQ(done.message, "all well");

  const IsolatedResult failed = run_isolated([]() -> std::string { throw InputError("f.h5", "bad"); }, 60);
  EXPECT_EQ(failed.outcome, Outcome::failed);
  EXPECT_EQ(failed.message, "f.h5: bad");

  const IsolatedResult crashed = run_isolated([]() -> std::string { std::abort(); }, 60);
  EXPECT_EQ(crashed.outcome, Outcome::crashed);
  EXPECT_NE(crashed.message.find("signal"), std::string::npos) << crashed.message;

  const IsolatedResult hung = run_isolated(
      []() -> std::string {
        for (;;) ::pause();
      },
      0.2);
  EXPECT_EQ(hung.outcome, Outcome::timed_out);
}

}  // namespace
}  // namespace featpipe::pipelines
