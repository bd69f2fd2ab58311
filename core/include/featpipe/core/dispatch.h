#pragma once
// Internal to featpipe's own libraries: how a stage reaches the variant of a hot kernel built for the CPU
// level in use (cpu_level.h).
//
// A stage's kernels live in <stage>/src/kernels/*.cpp. CMake compiles each of them once per level
// (-march=x86-64-v2, -v3, -v4; once with -march=native in a native build), with FEATPIPE_ISA defined as the
// level's namespace (isa_v2, isa_v3, isa_v4, or isa_native). A kernel source defines its entry points inside
// `namespace FEATPIPE_ISA` of its stage's namespace, and nothing outside it: at link time every other symbol
// of a variant (the Eigen and standard library code it instantiates, its inline helpers) is made local to
// that variant, so that the linker never merges an AVX-512 copy of an inline function into code that runs on
// an older CPU (cmake/dispatch.cmake).
//
// The rest of the stage declares an entry point for every level with FEATPIPE_DISPATCHED and calls it like
// any function: the call goes to the active level's variant, chosen once per process.
#include "featpipe/core/cpu_level.h"

namespace featpipe::cpu {

/// The one of v2, v3, v4 for the active level.
template <typename T>
T pick(T v2, T v3, T v4) {
  switch (active()) {
    case Level::v4:
      return v4;
    case Level::v3:
      return v3;
    case Level::v2:
      break;
  }
  return v2;
}

}  // namespace featpipe::cpu

#define FEATPIPE_ISA_DECLARE(ret, name, params) \
  namespace isa_v2 {                            \
  ret name params;                              \
  }                                             \
  namespace isa_v3 {                            \
  ret name params;                              \
  }                                             \
  namespace isa_v4 {                            \
  ret name params;                              \
  }                                             \
  namespace isa_native {                        \
  ret name params;                              \
  }

#ifdef FEATPIPE_NATIVE_BUILD
#define FEATPIPE_ISA_PICK(ret, name, params) (&isa_native::name)
#else
#define FEATPIPE_ISA_PICK(ret, name, params) \
  (::featpipe::cpu::pick<ret(*) params>(&isa_v2::name, &isa_v3::name, &isa_v4::name))
#endif

/// Declares `ret name params` in every level's namespace and defines `ret name params` in the current
/// namespace as a call of the active level's variant with `args` (the parameter names, in parentheses):
///   FEATPIPE_DISPATCHED(float, dot, (const float* a, const float* b, int64_t n), (a, b, n))
/// The variant is looked up once per call site.
#define FEATPIPE_DISPATCHED(ret, name, params, args)                          \
  FEATPIPE_ISA_DECLARE(ret, name, params)                                     \
  ret name params {                                                           \
    static ret(*const variant) params = FEATPIPE_ISA_PICK(ret, name, params); \
    return variant args;                                                      \
  }
