// FNV-1a 64 against the published test vectors of its authors, and the store digest's byte order.
#include "featpipe/core/digest.h"

#include <gtest/gtest.h>

namespace featpipe {
namespace {

std::string digest_of(std::string_view text) {
  Fnv1a64 h;
  h.update(text);
  return h.text();
}

TEST(Digest, Fnv1a64MatchesThePublishedVectors) {
  EXPECT_EQ(digest_of(""), "fnv1a64:cbf29ce484222325");
  EXPECT_EQ(digest_of("a"), "fnv1a64:af63dc4c8601ec8c");
  EXPECT_EQ(digest_of("foobar"), "fnv1a64:85944171f73967e8");
}

TEST(Digest, PiecesHashAsTheirConcatenationAndNumbersAsLittleEndianBytes) {
  Fnv1a64 pieces;
  pieces.update("foo");
  pieces.update("bar");
  EXPECT_EQ(pieces.text(), digest_of("foobar"));

  Fnv1a64 number, bytes;
  number.update_u64(0x0102030405060708ULL);
  const unsigned char le[8] = {8, 7, 6, 5, 4, 3, 2, 1};
  bytes.update(le, sizeof le);
  EXPECT_EQ(number.value(), bytes.value());
}

}  // namespace
}  // namespace featpipe
