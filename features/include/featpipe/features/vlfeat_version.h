#pragma once
// The VLFeat library under featpipe's dense SIFT (and vocab's homogeneous kernel maps), for
// `featpipe --version`.
#include <string>

namespace featpipe::features {

/// VLFeat's version as the library in this process reports it, e.g. "0.9.21".
std::string vlfeat_version();

}  // namespace featpipe::features
