#pragma once
// Values packed into bytes and read back in the same order, for the messages ranks exchange through a
// Collective (collective.h): numbers as their bytes, arrays and strings after their length. Both ends are
// the same program on the same kind of machine, so there is no byte-order or version handling.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace featpipe {

class PackedWriter {
 public:
  template <typename T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    append(&value, sizeof value);
  }
  /// The count, then the values.
  template <typename T>
  void put_array(std::span<const T> values) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<uint64_t>(values.size());
    append(values.data(), values.size_bytes());
  }
  void put_string(const std::string& text) { put_array<char>(text); }

  const std::vector<std::byte>& bytes() const { return bytes_; }

 private:
  void append(const void* data, std::size_t count) {
    const std::size_t at = bytes_.size();
    bytes_.resize(at + count);
    if (count > 0) std::memcpy(bytes_.data() + at, data, count);
  }

  std::vector<std::byte> bytes_;
};

/// Reads what a PackedWriter wrote, with the same calls in the same order; std::logic_error when the bytes
/// end first (a message of another shape).
class PackedReader {
 public:
  explicit PackedReader(std::span<const std::byte> bytes) : rest_(bytes) {}

  template <typename T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    take(&value, sizeof value);
    return value;
  }
  template <typename T>
  std::vector<T> get_array() {
    static_assert(std::is_trivially_copyable_v<T>);
    const uint64_t count = get<uint64_t>();
    if (count > rest_.size() / sizeof(T)) throw std::logic_error("PackedReader: an array runs past the end");
    std::vector<T> values(count);
    take(values.data(), count * sizeof(T));
    return values;
  }
  std::string get_string() {
    const std::vector<char> chars = get_array<char>();
    return {chars.begin(), chars.end()};
  }

  bool done() const { return rest_.empty(); }

 private:
  void take(void* out, std::size_t count) {
    if (count > rest_.size()) throw std::logic_error("PackedReader: the bytes end early");
    if (count > 0) std::memcpy(out, rest_.data(), count);
    rest_ = rest_.subspan(count);
  }

  std::span<const std::byte> rest_;
};

}  // namespace featpipe
