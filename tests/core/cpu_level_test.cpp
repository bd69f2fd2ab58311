#include "featpipe/core/cpu_level.h"

#include <gtest/gtest.h>

namespace featpipe::cpu {
namespace {

TEST(CpuLevel, ParsesShortAndLongNamesOnly) {
  EXPECT_EQ(parse("v2"), Level::v2);
  EXPECT_EQ(parse("V3"), Level::v3);
  EXPECT_EQ(parse("x86-64-v4"), Level::v4);
  EXPECT_EQ(parse(name(Level::v3)), Level::v3);
  EXPECT_FALSE(parse("v5"));
  EXPECT_FALSE(parse("avx2"));
  EXPECT_FALSE(parse(""));
  EXPECT_FALSE(parse("x86-64-"));
}

TEST(CpuLevel, NamesEveryLevel) {
  EXPECT_EQ(name(Level::v2), "x86-64-v2");
  EXPECT_EQ(name(Level::v4), "x86-64-v4");
  EXPECT_EQ(instructions(Level::v3), "AVX2 + FMA");
}

// Every machine featpipe runs on is x86-64-v2 at least; the active level never exceeds the CPU's.
TEST(CpuLevel, ActiveLevelIsOneThisCpuRuns) {
  const auto cpu = detected();
  ASSERT_TRUE(cpu.has_value());
  EXPECT_LE(active(), *cpu);
  EXPECT_EQ(active(), active());
  const std::string text = describe();
  EXPECT_NE(text.find("this CPU: " + std::string(name(*cpu))), std::string::npos) << text;
  if (dispatching()) {
    EXPECT_EQ(text.rfind(std::string(name(active())), 0), 0u) << text;
  }
}

}  // namespace
}  // namespace featpipe::cpu
