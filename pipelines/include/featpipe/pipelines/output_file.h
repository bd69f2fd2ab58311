#pragma once
// Output files: checked before any work, so that a run never ends in an error about where its result was
// to go, and written whole or not at all.
#include <string>
#include <utility>
#include <vector>

namespace featpipe::pipelines {

/// InputError naming `option` unless a file can be written at `path`: check_output_path's checks (its
/// folder exists, it is not a folder, it is none of the command's `inputs`, given as {option, path}), then a
/// probe file created in the folder and removed at once (tried rather than judged from permissions, which
/// root ignores and /proc does not show).
void check_writable_file(const std::string& path, const std::string& option,
                         const std::vector<std::pair<std::string, std::string>>& inputs = {});

/// `text` written to path.tmp-PID and renamed to `path` once whole, so that a failure half-way (a full
/// disk) leaves no truncated file that looks finished. RunError naming the file and the system's reason.
void write_text_file(const std::string& path, const std::string& text);

/// check_writable_file, and InputError naming `option` when OpenCV writes no image format of the name's
/// extension (m.txt).
void check_image_output(const std::string& path, const std::string& option,
                        const std::vector<std::pair<std::string, std::string>>& inputs = {});

}  // namespace featpipe::pipelines
