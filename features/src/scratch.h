#pragma once
// Private: per-thread scratch buffers, so extractors allocate once per thread (when the largest image so far
// arrives) instead of once per image, while staying const and thread-safe.
#include <cstddef>
#include <vector>

namespace featpipe::features {

/// At least `count` elements of uninitialised-by-contract storage owned by the calling thread. Tag names the
/// buffer, so one extractor can hold several at once; a later call with the same T and Tag reuses it.
template <class T, class Tag>
T* thread_scratch(std::size_t count) {
  thread_local std::vector<T> buffer;
  if (buffer.size() < count) buffer.resize(count);
  return buffer.data();
}

}  // namespace featpipe::features
