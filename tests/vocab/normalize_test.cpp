#include "featpipe/vocab/normalize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace featpipe::vocab {
namespace {

TEST(NormalizeTest, ParsesAndFormatsSpecs) {
  EXPECT_EQ(format_norm(parse_norm("power+l2")), "power(alpha=0.5)+l2");
  EXPECT_EQ(format_norm(parse_norm("power(alpha=0.3)+l2")), "power(alpha=0.3)+l2");
  EXPECT_EQ(format_norm(parse_norm("hellinger")), "hellinger");
  EXPECT_TRUE(parse_norm("none").empty());
  EXPECT_THROW(parse_norm("l3"), std::invalid_argument);
  EXPECT_THROW(parse_norm("power(alpha=2)"), std::invalid_argument);
  EXPECT_THROW(parse_norm("l1(alpha=2)"), std::invalid_argument);
}

// "l2+none" was refused as "unknown norm 'none'; use ... or none": none is known, but only alone.
TEST(NormalizeTest, NoneCannotBeJoined) {
  for (const char* spec : {"l2+none", "none+l1"}) {
    try {
      parse_norm(spec);
      ADD_FAILURE() << spec << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("none stands alone"), std::string::npos) << e.what();
    }
  }
}

TEST(NormalizeTest, EachCellIsNormalisedOnItsOwn) {
  std::vector<float> v = {1, 3, 0, 0, 2, 2, 0, 0};  // three cells of width ... 2 cells of 4 and one empty
  v.insert(v.end(), {0, 0, 0, 0});
  normalize_blocks(v.data(), 3, 4, parse_norm("l1"));
  EXPECT_FLOAT_EQ(v[0] + v[1] + v[2] + v[3], 1.0f);
  EXPECT_FLOAT_EQ(v[4] + v[5] + v[6] + v[7], 1.0f);
  for (int i = 8; i < 12; ++i) EXPECT_EQ(v[i], 0.0f);  // an empty cell stays empty, not NaN
}

TEST(NormalizeTest, HellingerGivesUnitL2AndPowerKeepsSign) {
  std::vector<float> v = {4, 0, 12};
  normalize_blocks(v.data(), 1, 3, parse_norm("hellinger"));
  EXPECT_FLOAT_EQ(v[0] * v[0] + v[1] * v[1] + v[2] * v[2], 1.0f);
  EXPECT_FLOAT_EQ(v[0], 0.5f);
  std::vector<float> s = {-4, 9};
  normalize_blocks(s.data(), 1, 2, parse_norm("power+l2"));
  EXPECT_FLOAT_EQ(s[0], -2.0f / std::sqrt(13.0f));
  EXPECT_FLOAT_EQ(s[1], 3.0f / std::sqrt(13.0f));
}

}  // namespace
}  // namespace featpipe::vocab
