// Numbers as featpipe prints them in specs, provenance and --help: the shortest text that reads back as the
// same value, for doubles and for float parameters alike.
#include "featpipe/core/format.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace featpipe {
namespace {

TEST(Format, NumbersPrintShortestAndReadBackExactly) {
  EXPECT_EQ(format_number(0.8), "0.8");
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(1e-05), "1e-05");
  EXPECT_EQ(format_number(2.0), "2");
  for (double value : {0.1, 1.0 / 3.0, 6.02214076e23, -2.5e-300, 0.30000000000000004}) {
    EXPECT_EQ(std::strtod(format_number(value).c_str(), nullptr), value) << format_number(value);
  }
}

TEST(Format, FloatsPrintAsTheFloatNotItsDouble) {
  EXPECT_EQ(format_float(0.3f), "0.3");
  EXPECT_EQ(format_float(0.1f), "0.1");
  EXPECT_EQ(format_number(static_cast<double>(0.1f)), "0.10000000149011612");  // what widening would print
  for (float value : {0.1f, 1.0f / 3.0f, 0.123456789f, 3e-38f}) {
    EXPECT_EQ(std::strtof(format_float(value).c_str(), nullptr), value) << format_float(value);
  }
}

}  // namespace
}  // namespace featpipe
