#pragma once
// Private: a large buffer backed by transparent huge pages where the kernel offers them (Linux madvise
// mode). The training rows are visited in random order every epoch: with 4 KiB pages a row of a 200 MB
// matrix misses the TLB nearly every time, and the first touch of each page costs a fault. With 2 MiB
// pages both nearly vanish. Falls back to ordinary pages silently.
#include <cstddef>
#include <utility>

namespace featpipe::classify {

namespace huge_pages {
/// Uninitialised bytes rounded up to whole huge pages (*mapped gets the length); std::bad_alloc when the
/// memory cannot be mapped.
void* map(std::size_t bytes, std::size_t* mapped);
void unmap(void* p, std::size_t mapped);
}  // namespace huge_pages

template <typename T>
class HugePageBuffer {
 public:
  HugePageBuffer() = default;
  /// Uninitialised room for `count` values of T.
  explicit HugePageBuffer(std::size_t count) : count_(count) {
    if (count > 0) data_ = static_cast<T*>(huge_pages::map(count * sizeof(T), &bytes_));
  }
  ~HugePageBuffer() {
    if (data_) huge_pages::unmap(data_, bytes_);
  }
  HugePageBuffer(HugePageBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        count_(std::exchange(other.count_, 0)),
        bytes_(std::exchange(other.bytes_, 0)) {}
  HugePageBuffer& operator=(HugePageBuffer&& other) noexcept {
    if (this != &other) {
      HugePageBuffer old(std::move(*this));
      data_ = std::exchange(other.data_, nullptr);
      count_ = std::exchange(other.count_, 0);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }
  HugePageBuffer(const HugePageBuffer&) = delete;
  HugePageBuffer& operator=(const HugePageBuffer&) = delete;

  T* data() const { return data_; }
  std::size_t size() const { return count_; }

 private:
  T* data_ = nullptr;
  std::size_t count_ = 0, bytes_ = 0;
};

}  // namespace featpipe::classify
