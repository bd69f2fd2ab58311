#pragma once
// Private: VLFeat, wrapped once. VLFeat checks its arguments with assert() only (compiled out in release
// builds, where a bad argument becomes a memory error), so every wrapper validates before it calls and
// throws std::invalid_argument instead.
#include <memory>
#include <opencv2/core.hpp>

extern "C" {
#include <vl/dsift.h>
}

namespace featpipe::features {

struct DsiftDeleter {
  void operator()(VlDsiftFilter* filter) const noexcept { vl_dsift_delete(filter); }
};
using DsiftFilter = std::unique_ptr<VlDsiftFilter, DsiftDeleter>;

/// Dense SIFT on one image size: 4x4 bins of `bin` pixels with 8 orientations, frames every `step` pixels,
/// the first frame's descriptor starting `offset` pixels from the top-left corner.
struct DsiftGeometry {
  cv::Size image;
  int step = 1;
  int bin = 1;
  int offset = 0;
  bool flat_window = true;  // VLFeat's fast approximation of the Gaussian spatial window

  bool operator==(const DsiftGeometry&) const = default;
};

/// Frames along one axis of `length` pixels (0 when not even one descriptor fits).
int dsift_frames_along(int length, int offset, int bin, int step);

/// Throws std::invalid_argument unless the geometry is valid and gives at least one frame.
DsiftFilter make_dsift_filter(const DsiftGeometry& geometry);

/// Runs the filter on a float image of the filter's size (row-major, contiguous).
void dsift_process(VlDsiftFilter* filter, const cv::Mat& image);

}  // namespace featpipe::features
