#include "featpipe/core/memory.h"

#include <fstream>

#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"

namespace featpipe {

uint64_t available_memory() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key, unit;
  uint64_t kib = 0;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  return 0;
}

std::string format_bytes(long double bytes) {
  const char* const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024 && u < 6) {
    bytes /= 1024;
    ++u;
  }
  return (u == 0 ? std::to_string(static_cast<uint64_t>(bytes)) : format_significant(double(bytes), 3)) +
         " " + units[u];
}

void require_memory(const std::string& subject, long double bytes, const std::string& what) {
  const uint64_t available = available_memory();
  if (available == 0 || bytes <= static_cast<long double>(available)) return;
  throw InputError(subject, what + " needs " + format_bytes(bytes) + ", more than the " +
                                format_bytes(available) + " of memory available");
}

}  // namespace featpipe
