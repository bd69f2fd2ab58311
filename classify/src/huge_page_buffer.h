#pragma once
// Private: a large float buffer backed by transparent huge pages where the kernel offers them (Linux
// madvise mode). The training rows are visited in random order every epoch: with 4 KiB pages a row of a
// 200 MB matrix misses the TLB nearly every time, and the first touch of each page costs a fault. With
// 2 MiB pages both nearly vanish. Falls back to ordinary pages silently.
#include <cstddef>

namespace featpipe::classify {

class HugePageBuffer {
 public:
  HugePageBuffer() = default;
  /// Uninitialised room for `floats` floats; throws std::bad_alloc when the memory cannot be mapped.
  explicit HugePageBuffer(std::size_t floats);
  ~HugePageBuffer();
  HugePageBuffer(HugePageBuffer&& other) noexcept;
  HugePageBuffer& operator=(HugePageBuffer&& other) noexcept;
  HugePageBuffer(const HugePageBuffer&) = delete;
  HugePageBuffer& operator=(const HugePageBuffer&) = delete;

  float* data() const { return data_; }
  std::size_t size() const { return floats_; }

 private:
  float* data_ = nullptr;
  std::size_t floats_ = 0, bytes_ = 0;
};

}  // namespace featpipe::classify
