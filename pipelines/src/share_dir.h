#pragma once
// Where the running featpipe finds its shared files (report/report.py, lib/*.sh, <dataset>/run.sh), laid
// out as the source tree's pipelines/ folder.
#include <filesystem>

namespace featpipe::pipelines {

/// <folder of the running executable>/../share/featpipe/pipelines when that folder exists (an installed
/// featpipe, wherever its prefix was moved to); else the pipelines/ folder of the source tree it was built
/// from (a featpipe in its build tree). When neither exists, the installed location, so that an error names
/// where the files were expected.
std::filesystem::path share_dir();

}  // namespace featpipe::pipelines
