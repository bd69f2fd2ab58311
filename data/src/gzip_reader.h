#pragma once
// Whole-file readers for the in-memory datasets. Both throw InputError naming the file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace featpipe::data {

/// The bytes of a plain file, at most `limit` (the first ones).
std::vector<uint8_t> read_file_bytes(const std::string& path, std::size_t limit = SIZE_MAX);

/// The decompressed bytes of a gzip file (zlib), at most `limit`: decompression stops there, so a small file
/// that inflates to gigabytes costs no more than the bytes its reader needs. A corrupt or truncated stream
/// (before the limit) is an InputError.
std::vector<uint8_t> read_gzip_file(const std::string& path, std::size_t limit = SIZE_MAX);

}  // namespace featpipe::data
