#pragma once
// Private: what `featpipe --version` prints.
#include <ostream>

namespace featpipe::pipelines {

/// featpipe's version, the CPU level its kernels run at (cpu::describe(), so a bad FEATPIPE_CPU throws its
/// InputError), and the versions of the libraries it runs with and of the compiler that built it. Cheap
/// enough for a start-up check: OpenCV's image codecs are named, not loaded.
void print_version(std::ostream& out);

}  // namespace featpipe::pipelines
