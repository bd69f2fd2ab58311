// PackedWriter / PackedReader: values read back in the order written, and a message of another shape
// refused rather than read past its end.
#include "featpipe/core/packed_bytes.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

namespace featpipe {
namespace {

TEST(PackedBytes, ReadsBackWhatWasWritten) {
  PackedWriter out;
  out.put(3.25);
  out.put<int64_t>(-7);
  out.put(true);
  out.put_string("diverged at epoch 3");
  out.put_string("");
  const std::vector<float> values = {1.5f, -0.0f, std::numeric_limits<float>::denorm_min()};
  out.put_array<float>(values);
  PackedReader in(out.bytes());
  EXPECT_EQ(in.get<double>(), 3.25);
  EXPECT_EQ(in.get<int64_t>(), -7);
  EXPECT_TRUE(in.get<bool>());
  EXPECT_EQ(in.get_string(), "diverged at epoch 3");
  EXPECT_EQ(in.get_string(), "");
  const std::vector<float> back = in.get_array<float>();
  ASSERT_EQ(back.size(), values.size());
  EXPECT_EQ(std::memcmp(back.data(), values.data(), sizeof(float) * values.size()), 0);
  EXPECT_TRUE(in.done());
}

TEST(PackedBytes, RefusesToReadPastTheEnd) {
  PackedWriter out;
  out.put<int32_t>(1);
  PackedReader short_read(out.bytes());
  EXPECT_THROW(short_read.get<int64_t>(), std::logic_error);
  PackedWriter huge;
  huge.put<uint64_t>(uint64_t{1} << 60);  // an array count with no values after it
  PackedReader array(huge.bytes());
  EXPECT_THROW(array.get_array<float>(), std::logic_error);
}

}  // namespace
}  // namespace featpipe
