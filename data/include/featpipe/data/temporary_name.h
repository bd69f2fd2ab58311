#pragma once
// Outputs are written under a temporary name next to their final one, OUT.tmp-PID, and renamed into place
// when complete. A process that is killed (SIGKILL, a power cut) cannot remove its temporary; the next run
// that writes the same OUT removes it, and never the temporary of a process that is still at work.
#include <string>
#include <vector>

namespace featpipe::data {

/// `path` + ".tmp-" + this process's id.
std::string temporary_name(const std::string& path);

/// Removes the files and folders `path`.tmp-PID whose process PID is gone, other than this process's own;
/// a file another process holds an HDF5 lock on (a process of another PID namespace) is kept. Returns the
/// paths removed. Errors (a folder that cannot be listed, a file that cannot be removed) leave things as
/// they are: the write that follows reports what is wrong with the folder.
std::vector<std::string> remove_stale_temporaries(const std::string& path);

}  // namespace featpipe::data
