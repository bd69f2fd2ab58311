#include "vlfeat.h"

#include <stdexcept>
#include <string>

#include "featpipe/features/vlfeat_version.h"

extern "C" {
#include <vl/generic.h>
}

namespace featpipe::features {

int dsift_frames_along(int length, int offset, int bin, int step) {
  // vl_dsift's own count: frame centres from offset + 1.5 bin to length - 1 - 1.5 bin.
  const int range = (length - 1) - offset - 3 * bin;
  return range >= 0 ? range / step + 1 : 0;
}

DsiftFilter make_dsift_filter(const DsiftGeometry& g) {
  if (g.step < 1 || g.bin < 1 || g.offset < 0) {
    throw std::invalid_argument("dsift: step and bin size must be positive and the offset non-negative");
  }
  if (dsift_frames_along(g.image.width, g.offset, g.bin, g.step) < 1 ||
      dsift_frames_along(g.image.height, g.offset, g.bin, g.step) < 1) {
    const std::string side = std::to_string(g.offset + 3 * g.bin + 1);
    throw std::invalid_argument("dsift: image " + std::to_string(g.image.width) + "x" +
                                std::to_string(g.image.height) +
                                " is too small for a descriptor of 4 bins of " + std::to_string(g.bin) +
                                " pixels; needs at least " + side + "x" + side + " pixels");
  }
  DsiftFilter filter(vl_dsift_new_basic(g.image.width, g.image.height, g.step, g.bin));
  if (!filter) throw std::bad_alloc();
  vl_dsift_set_bounds(filter.get(), g.offset, g.offset, g.image.width - 1, g.image.height - 1);
  vl_dsift_set_flat_window(filter.get(), g.flat_window);
  return filter;
}

void dsift_process(VlDsiftFilter* filter, const cv::Mat& image) {
  if (image.type() != CV_32FC1 || !image.isContinuous() || image.cols != filter->imWidth ||
      image.rows != filter->imHeight) {
    throw std::invalid_argument("dsift: internal error: image does not fit the filter");
  }
  vl_dsift_process(filter, image.ptr<float>());
}

std::string vlfeat_version() { return vl_get_version_string(); }

}  // namespace featpipe::features
