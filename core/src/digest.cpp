#include "featpipe/core/digest.h"

#include <cstdio>

namespace featpipe {

void Fnv1a64::update(const void* bytes, std::size_t count) {
  constexpr uint64_t kPrime = 0x100000001b3ULL;
  const auto* p = static_cast<const unsigned char*>(bytes);
  uint64_t h = state_;
  for (std::size_t i = 0; i < count; ++i) h = (h ^ p[i]) * kPrime;
  state_ = h;
}

void Fnv1a64::update_u64(uint64_t value) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  update(bytes, sizeof bytes);
}

std::string Fnv1a64::text() const {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(state_));
  return std::string("fnv1a64:") + hex;
}

}  // namespace featpipe
