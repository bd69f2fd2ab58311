#pragma once
// The memory a run may take: sizes that the user sets (an image size, a batch, a problem's dimensions) are
// checked against it before anything is allocated, so that an absurd value ends with a message naming it
// rather than with the system's out-of-memory killer or a half-written output.
#include <cstdint>
#include <string>

namespace featpipe {

/// The bytes of memory the system can still give, from /proc/meminfo's MemAvailable; 0 when unknown.
uint64_t available_memory();

/// "512 MiB", "3.2 GiB": bytes in binary units, three significant digits.
std::string format_bytes(long double bytes);

/// InputError(subject, what + " needs <bytes>, more than the <available> of memory available") when bytes
/// exceed the available memory (when that is known). bytes is a long double so that products of absurd
/// sizes do not wrap around.
void require_memory(const std::string& subject, long double bytes, const std::string& what);

}  // namespace featpipe
