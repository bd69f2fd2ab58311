#include "featpipe/core/spec.h"

#include <gtest/gtest.h>

using featpipe::parse_spec;
using featpipe::SpecTerm;

TEST(SpecTest, ParsesTermsAndParameters) {
  const auto terms = parse_spec("hog(cell=4,bins=9,variant=uoctti)+huehist(bins=12,pyramid=1:2)+raw");
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_EQ(terms[0].name, "hog");
  EXPECT_EQ(terms[0].get_int("cell", 8), 4);
  EXPECT_EQ(terms[0].get_string("variant", ""), "uoctti");
  EXPECT_EQ(terms[1].get_string("pyramid", ""), "1:2");
  EXPECT_EQ(terms[2].name, "raw");
  EXPECT_TRUE(terms[2].params.empty());
}

TEST(SpecTest, CanonicalFormSortsKeysAndRoundTrips) {
  const auto terms = parse_spec("raw( size=28x28 , gray=1 )");
  EXPECT_EQ(terms[0].canonical(), "raw(gray=1,size=28x28)");
  EXPECT_EQ(featpipe::canonical_spec(parse_spec(featpipe::canonical_spec(terms))), "raw(gray=1,size=28x28)");
}

TEST(SpecTest, DefaultsWhenAbsent) {
  const SpecTerm t = parse_spec("hog")[0];
  EXPECT_EQ(t.get_int("cell", 8), 8);
  EXPECT_DOUBLE_EQ(t.get_double("clip", 0.2), 0.2);
  EXPECT_TRUE(t.get_bool("flag", true));
}

TEST(SpecTest, MalformedSpecsAreRejectedWithPosition) {
  for (const char* bad : {"", "hog(", "hog(cell)", "hog(cell=)", "hog(cell=4", "hog+", "(cell=4)",
                          "hog(cell=4,cell=5)", "hog)x", "hog(cell=4)raw"}) {
    EXPECT_THROW(parse_spec(bad), std::invalid_argument) << bad;
  }
  try {
    parse_spec("hog(cell=4,cell=5)");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate key 'cell'"), std::string::npos) << e.what();
  }
}

TEST(SpecTest, TypedAccessorsRejectBadValues) {
  const SpecTerm t = parse_spec("hog(cell=four,clip=x,flag=maybe)")[0];
  EXPECT_THROW(t.get_int("cell", 8), std::invalid_argument);
  EXPECT_THROW(t.get_double("clip", 0.2), std::invalid_argument);
  EXPECT_THROW(t.get_bool("flag", false), std::invalid_argument);
}

TEST(SpecTest, UnknownKeysNameTheAllowedOnes) {
  const SpecTerm t = parse_spec("raw(colour=1)")[0];
  try {
    t.check_keys({"gray", "size"});
    FAIL();
  } catch (const std::invalid_argument& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("colour"), std::string::npos) << m;
    EXPECT_NE(m.find("gray, size"), std::string::npos) << m;
  }
}
