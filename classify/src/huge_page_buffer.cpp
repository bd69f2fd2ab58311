#include "huge_page_buffer.h"

#include <sys/mman.h>

#include <new>

namespace featpipe::classify::huge_pages {
namespace {

constexpr std::size_t kHugePage = std::size_t(2) << 20;

}  // namespace

void* map(std::size_t bytes, std::size_t* mapped) {
  *mapped = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = mmap(nullptr, *mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, *mapped, MADV_HUGEPAGE);  // advice only: ordinary pages when refused
#endif
  return p;
}

void unmap(void* p, std::size_t mapped) { munmap(p, mapped); }

}  // namespace featpipe::classify::huge_pages
