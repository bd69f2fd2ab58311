#include "featpipe/core/cpu_level.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "featpipe/core/errors.h"

namespace featpipe::cpu {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// The level FEATPIPE_CPU asks for, if set.
std::optional<Level> requested() {
  const char* value = std::getenv("FEATPIPE_CPU");
  if (value == nullptr || *value == '\0') return std::nullopt;
  const auto level = parse(value);
  if (!level) {
    throw InputError("FEATPIPE_CPU", "'" + std::string(value) + "' is not a level: use v2, v3 or v4");
  }
  return level;
}

Level choose() {
  const auto cpu = detected();
  if (!cpu) {
    throw InputError("CPU", "featpipe needs an x86-64-v2 processor (SSE4.2, POPCNT) at least");
  }
  const auto wanted = requested();
  if (!wanted) return *cpu;
  return std::min(*wanted, *cpu);  // a cap: a level above the CPU's leaves the CPU's
}

}  // namespace

std::string_view name(Level level) {
  switch (level) {
    case Level::v2:
      return "x86-64-v2";
    case Level::v3:
      return "x86-64-v3";
    case Level::v4:
      return "x86-64-v4";
  }
  return "x86-64-v2";
}

std::string_view instructions(Level level) {
  switch (level) {
    case Level::v2:
      return "SSE4.2";
    case Level::v3:
      return "AVX2 + FMA";
    case Level::v4:
      return "AVX-512";
  }
  return "SSE4.2";
}

std::optional<Level> parse(std::string_view text) {
  std::string t = lower(text);
  if (t.rfind("x86-64-", 0) == 0) t = t.substr(7);
  if (t == "v2") return Level::v2;
  if (t == "v3") return Level::v3;
  if (t == "v4") return Level::v4;
  return std::nullopt;
}

std::optional<Level> detected() {
  __builtin_cpu_init();
  // Both compilers' checks include the operating system's support (XSAVE of the AVX and AVX-512 registers).
#if defined(__clang__)  // clang 14 knows the features, not the levels' names (the fuzzing build)
  const bool v2 = __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("popcnt");
  const bool v3 = v2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                  __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
  const bool v4 = v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                  __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
                  __builtin_cpu_supports("avx512vl");
#else
  const bool v2 = __builtin_cpu_supports("x86-64-v2");
  const bool v3 = __builtin_cpu_supports("x86-64-v3");
  const bool v4 = __builtin_cpu_supports("x86-64-v4");
#endif
  if (v4) return Level::v4;
  if (v3) return Level::v3;
  if (v2) return Level::v2;
  return std::nullopt;
}

bool dispatching() {
#ifdef FEATPIPE_NATIVE_BUILD
  return false;
#else
  return true;
#endif
}

Level active() {
  static const Level level = choose();  // a throw leaves it unset: the next call tries again
  return level;
}

std::string describe() {
  const auto cpu = detected();
  const std::string this_cpu =
      "this CPU: " + (cpu ? std::string(name(*cpu)) : std::string("below x86-64-v2"));
  if (!dispatching()) return "native build (-march=native); " + this_cpu;
  const Level level = active();
  std::string text = std::string(name(level)) + " (" + std::string(instructions(level)) + "), dispatched";
  if (cpu && level < *cpu) text += ", lowered by FEATPIPE_CPU";
  if (const auto wanted = requested(); wanted && cpu && *wanted > *cpu) {
    text += " (FEATPIPE_CPU=" + std::string(name(*wanted)).substr(7) + " is above this CPU)";
  }
  return text + "; " + this_cpu;
}

}  // namespace featpipe::cpu
