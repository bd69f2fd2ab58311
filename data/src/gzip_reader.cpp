#include "gzip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "featpipe/core/errors.h"

namespace featpipe::data {
namespace {

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};

std::string os_error() { return errno != 0 ? std::strerror(errno) : "unknown error"; }

}  // namespace

std::vector<uint8_t> read_file_bytes(const std::string& path, std::size_t limit) {
  errno = 0;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw InputError(path, "cannot open (" + os_error() + "); check the path and its permissions");
  const std::streamsize size =
      static_cast<std::streamsize>(std::min<std::size_t>(static_cast<std::size_t>(in.tellg()), limit));
  std::vector<uint8_t> bytes(static_cast<std::size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    throw InputError(
        path, "read failed after " + std::to_string(in.gcount()) + " of " + std::to_string(size) + " bytes");
  }
  return bytes;
}

std::vector<uint8_t> read_gzip_file(const std::string& path, std::size_t limit) {
  errno = 0;
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) throw InputError(path, "cannot open (" + os_error() + "); check the path and its permissions");
  gzbuffer(file.get(), 1 << 18);

  std::vector<uint8_t> bytes;
  constexpr std::size_t kChunk = 1 << 20;
  while (bytes.size() < limit) {
    const std::size_t old_size = bytes.size();
    const std::size_t chunk = std::min(kChunk, limit - old_size);
    bytes.resize(old_size + chunk);
    const int got = gzread(file.get(), bytes.data() + old_size, static_cast<unsigned>(chunk));
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(file.get(), &code);
      throw InputError(path, std::string("is not a valid gzip file (") + message +
                                 "); re-download it or decompress it with gunzip to check");
    }
    bytes.resize(old_size + static_cast<std::size_t>(got));
    if (static_cast<std::size_t>(got) < chunk) break;
  }
  // gzread reports a stream cut short only through gzerror.
  int code = 0;
  const char* message = gzerror(file.get(), &code);
  if (code != Z_OK && code != Z_STREAM_END) {
    throw InputError(path, std::string("is not a valid gzip file (") + message + "); re-download it");
  }
  return bytes;
}

}  // namespace featpipe::data
