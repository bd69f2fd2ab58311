#include "featpipe/data/input_files.h"

#include <sys/stat.h>

#include <map>
#include <mutex>
#include <utility>

#include "featpipe/core/errors.h"

namespace featpipe::data {
namespace {

using FileId = std::pair<dev_t, ino_t>;

std::optional<FileId> file_id(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;  // follows links: the file they name
  return FileId{st.st_dev, st.st_ino};
}

struct Inputs {
  std::mutex mutex;
  std::map<FileId, std::string> paths;
};

Inputs& inputs() {
  static Inputs noted;
  return noted;
}

}  // namespace

void require_input_file(const std::string& path, const std::string& hint) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw InputError(path, "not found; " + hint);
  if (S_ISDIR(st.st_mode)) throw InputError(path, "is a directory, not a file; " + hint);
  require_regular_file(path);
}

void require_regular_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) return;
  const char* kind = S_ISFIFO(st.st_mode)   ? "a FIFO (named pipe)"
                     : S_ISSOCK(st.st_mode) ? "a socket"
                                            : "a device";
  throw InputError(path, std::string("is ") + kind + ", not a file; give a regular file");
}

void note_input(const std::string& path) {
  const auto id = file_id(path);
  if (!id) return;
  Inputs& in = inputs();
  const std::lock_guard<std::mutex> lock(in.mutex);
  in.paths.emplace(*id, path);
}

void forget_input(const std::string& path) {
  const auto id = file_id(path);
  if (!id) return;
  Inputs& in = inputs();
  const std::lock_guard<std::mutex> lock(in.mutex);
  in.paths.erase(*id);
}

std::optional<std::string> input_named_by(const std::string& path) {
  const auto id = file_id(path);
  if (!id) return std::nullopt;
  Inputs& in = inputs();
  const std::lock_guard<std::mutex> lock(in.mutex);
  const auto found = in.paths.find(*id);
  if (found == in.paths.end()) return std::nullopt;
  return found->second;
}

}  // namespace featpipe::data
