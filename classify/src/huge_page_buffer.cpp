#include "huge_page_buffer.h"

#include <sys/mman.h>

#include <new>
#include <utility>

namespace featpipe::classify {
namespace {

constexpr std::size_t kHugePage = std::size_t(2) << 20;

}  // namespace

HugePageBuffer::HugePageBuffer(std::size_t floats) : floats_(floats) {
  if (floats == 0) return;
  bytes_ = (floats * sizeof(float) + kHugePage - 1) / kHugePage * kHugePage;
  void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, bytes_, MADV_HUGEPAGE);  // advice only: ordinary pages when refused
#endif
  data_ = static_cast<float*>(p);
}

HugePageBuffer::~HugePageBuffer() {
  if (data_) munmap(data_, bytes_);
}

HugePageBuffer::HugePageBuffer(HugePageBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      floats_(std::exchange(other.floats_, 0)),
      bytes_(std::exchange(other.bytes_, 0)) {}

HugePageBuffer& HugePageBuffer::operator=(HugePageBuffer&& other) noexcept {
  if (this != &other) {
    HugePageBuffer old(std::move(*this));
    data_ = std::exchange(other.data_, nullptr);
    floats_ = std::exchange(other.floats_, 0);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

}  // namespace featpipe::classify
