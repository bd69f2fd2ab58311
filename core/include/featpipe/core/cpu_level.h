#pragma once
// The x86-64 instruction-set level featpipe's hot kernels run at. A portable build compiles each kernel for
// x86-64-v2 (SSE4.2), x86-64-v3 (AVX2, FMA) and x86-64-v4 (AVX-512) and picks one variant for the whole
// process, once, from the CPU (dispatch.h); a build with FEATPIPE_NATIVE=ON compiles everything for the
// building machine only. The environment variable FEATPIPE_CPU=v2|v3|v4 lowers the level (to test or
// compare the paths of a lower CPU on a higher one): it is a cap, and never raises the level above what the
// CPU runs.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace featpipe::cpu {

enum class Level : int { v2 = 2, v3 = 3, v4 = 4 };

/// "x86-64-v3".
std::string_view name(Level level);
/// "SSE4.2", "AVX2 + FMA", "AVX-512".
std::string_view instructions(Level level);
/// "v3" or "x86-64-v3" (case-insensitive) -> Level; nullopt otherwise.
std::optional<Level> parse(std::string_view text);

/// The highest level this CPU runs (its instructions, and the operating system saving their registers);
/// nullopt below x86-64-v2.
std::optional<Level> detected();

/// Whether this build compiles its kernels for every level and dispatches (false: FEATPIPE_NATIVE=ON).
bool dispatching();

/// The level the kernels run at: detected(), or FEATPIPE_CPU's level when that is lower. Fixed by the first
/// call of the process. InputError ("FEATPIPE_CPU: ...") for a value that is not a level, and for a CPU
/// below x86-64-v2.
Level active();

/// One line for `featpipe --version`: "x86-64-v4 (AVX-512), dispatched; this CPU: x86-64-v4", with
/// "lowered by FEATPIPE_CPU" when it is, or "native build (-march=native)".
std::string describe();

}  // namespace featpipe::cpu
