#pragma once
// Shared by the fuzz targets: the readers take paths, so each input is written to files in a scratch
// folder of this process (in /dev/shm when it exists: no disk I/O per input), removed at exit.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace featpipe::fuzz {

namespace fs = std::filesystem;

inline const fs::path& scratch_dir() {
  static const fs::path dir = [] {
    const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string pattern = (base / "featpipe-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("featpipe fuzz: mkdtemp");
      std::abort();
    }
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(scratch_dir(), ec);
    });
    return fs::path(pattern);
  }();
  return dir;
}

/// Replaces `path` (creating its folders) with the given bytes.
inline void write_file(const fs::path& path, const uint8_t* data, std::size_t size) {
  fs::create_directories(path.parent_path());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
}

/// Little-endian 32-bit length at data[0..4), clamped to the bytes that follow it (0 when too short).
inline std::size_t leading_length(const uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::size_t n = std::size_t(data[0]) | std::size_t(data[1]) << 8 | std::size_t(data[2]) << 16 |
                        std::size_t(data[3]) << 24;
  return n < size - 4 ? n : size - 4;
}

}  // namespace featpipe::fuzz
