#pragma once
// The files a process has opened as inputs, so that no output replaces one of them: writing a store under
// the name of a store it reads (directly, or through a link) would destroy the input. StoreReader notes
// every store it opens; StoreWriter refuses a path that names one (DESIGN.md, "bad input"). And the kind of
// file an input must be.
#include <optional>
#include <string>

namespace featpipe::data {

/// InputError unless `path` names a regular file (through links): a FIFO would block the reader forever, and
/// a device or socket is no input either. Does nothing for a path that does not exist (the reader reports
/// that in its own words).
void require_regular_file(const std::string& path);

/// InputError naming `path` unless it names a regular file (through links): "not found; <hint>" when it
/// does not exist, "is a directory, not a file", or what require_regular_file says of a FIFO or device.
void require_input_file(const std::string& path, const std::string& hint);

/// Notes `path` (an existing file) as an input of this process. Thread-safe.
void note_input(const std::string& path);

/// Un-notes `path`: for an input read whole into memory that the process then replaces on purpose, as a
/// training run replaces the checkpoint it resumed from.
void forget_input(const std::string& path);

/// The path under which an input was noted that names the same file as `path` (the same device and inode,
/// so links count), or nullopt (also when `path` does not exist).
std::optional<std::string> input_named_by(const std::string& path);

}  // namespace featpipe::data
