// InterruptGuard in a call from an interpreter (Scope::call, the Python module's): SIGINT alone is caught,
// and a second one is recorded like the first instead of ending the process.
#include <gtest/gtest.h>

#include <csignal>

#include "featpipe/pipelines/interrupt.h"

namespace featpipe::pipelines {
namespace {

TEST(InterruptGuard, ACallCatchesSigintOnlyAndRecordsASecondOne) {
  clear_interrupt();
  struct sigaction int_before {
  }, term_before{};
  sigaction(SIGINT, nullptr, &int_before);
  sigaction(SIGTERM, nullptr, &term_before);
  {
    const InterruptGuard guard(InterruptGuard::Scope::call);
    struct sigaction term {};
    sigaction(SIGTERM, nullptr, &term);
    EXPECT_EQ(term.sa_handler, term_before.sa_handler);  // the interpreter's own handling stays
    std::raise(SIGINT);
    EXPECT_EQ(interrupt_signal(), SIGINT);
    std::raise(SIGINT);  // the process goes on
    EXPECT_EQ(interrupt_signal(), SIGINT);
    EXPECT_THROW(throw_if_interrupted(), Interrupted);
  }
  struct sigaction int_after {};
  sigaction(SIGINT, nullptr, &int_after);
  EXPECT_EQ(int_after.sa_handler, int_before.sa_handler);  // given back
  clear_interrupt();
}

}  // namespace
}  // namespace featpipe::pipelines
