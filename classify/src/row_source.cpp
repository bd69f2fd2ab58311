#include "featpipe/classify/row_source.h"

#include <algorithm>

namespace featpipe::classify {

void MatrixSource::read_rows(uint64_t begin, uint64_t count, float* out) const {
  std::copy_n(data_ + begin * dim_, count * dim_, out);
}

}  // namespace featpipe::classify
