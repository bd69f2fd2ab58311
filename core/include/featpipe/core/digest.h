#pragma once
// FNV-1a 64 (Fowler, Noll, Vo): a fast, well-defined hash of bytes, for content digests of stores. The
// value depends only on the bytes hashed, so it is the same on every CPU and in every build; callers hash
// numbers as their little-endian bytes (x86-64's order). Not a cryptographic hash: it tells a replaced or
// damaged file from the one recorded, not a forgery from it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace featpipe {

class Fnv1a64 {
 public:
  void update(const void* bytes, std::size_t count);
  void update(std::string_view text) { update(text.data(), text.size()); }
  void update_u64(uint64_t value);  // its eight little-endian bytes
  uint64_t value() const { return state_; }
  /// "fnv1a64:" followed by the value as 16 lower-case hex digits.
  std::string text() const;

 private:
  uint64_t state_ = 0xcbf29ce484222325ULL;  // the FNV-1a 64 offset basis
};

}  // namespace featpipe
