#include "share_dir.h"

#include <system_error>

namespace featpipe::pipelines {

// FEATPIPE_SHARE_FROM_BIN (the installed share folder relative to the installed bin folder) and
// FEATPIPE_SOURCE_SHARE (the source tree's pipelines/) are set for this file by cmake/install.cmake.
std::filesystem::path share_dir() {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path installed = (exe.parent_path() / FEATPIPE_SHARE_FROM_BIN).lexically_normal();
    if (fs::is_directory(installed, error)) return installed;
    if (!fs::is_directory(FEATPIPE_SOURCE_SHARE, error)) return installed;
  }
  return FEATPIPE_SOURCE_SHARE;
}

}  // namespace featpipe::pipelines
