#include "featpipe/data/input_files.h"

#include <sys/stat.h>

#include <map>
#include <mutex>
#include <utility>

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
