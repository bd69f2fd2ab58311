#pragma once
// Whole-file readers for the in-memory datasets. Both throw InputError naming the file.
#include <cstdint>
#include <string>
#include <vector>

namespace featpipe::data {

/// The bytes of a plain file.
std::vector<uint8_t> read_file_bytes(const std::string& path);

/// The decompressed bytes of a gzip file (zlib); a corrupt or truncated stream is an InputError.
std::vector<uint8_t> read_gzip_file(const std::string& path);

}  // namespace featpipe::data
