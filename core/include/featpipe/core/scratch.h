#pragma once
// Per-thread scratch buffers, so extractors and encoders allocate once per thread (when the largest image so
// far arrives) instead of once per image, while staying const and thread-safe. Every buffer a vectorised
// computation reads comes from here (or from Eigen's own aligned storage), never from a plain std::vector:
// see CacheLineAllocator for why (DESIGN.md, "Determinism").
#include <cstddef>
#include <new>
#include <vector>

namespace featpipe {

/// Storage aligned to 64 bytes (an AVX-512 register). Vectorised code (Eigen's included) takes a different
/// path for a buffer's unaligned head than for the rest, with results that can differ in the last bit; a
/// fixed alignment makes every call take the same path, so the same image always gives the same bits. A
/// std::vector's storage is only 16-byte aligned, and where it lands depends on the allocator's history: on
/// which images, and so how many, the thread met before.
template <class T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlignment{64};

  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, kAlignment); }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const {
    return true;
  }
};

/// At least `count` elements of storage owned by the calling thread, 64-byte aligned, contents unspecified.
/// Tag names the buffer, so one caller can hold several at once; a later call with the same T and Tag
/// reuses it.
template <class T, class Tag>
T* thread_scratch(std::size_t count) {
  thread_local std::vector<T, CacheLineAllocator<T>> buffer;
  if (buffer.size() < count) buffer.resize(count);
  return buffer.data();
}

}  // namespace featpipe
