#include "featpipe/data/temporary_name.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <optional>
#include <system_error>

namespace featpipe::data {
namespace {

constexpr const char* kMarker = ".tmp-";

// The process id at the end of `name` when it is `prefix` followed by digits only.
std::optional<pid_t> writer_pid(const std::string& name, const std::string& prefix) {
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  const char* begin = name.data() + prefix.size();
  const char* end = name.data() + name.size();
  pid_t pid = 0;
  const auto [stop, error] = std::from_chars(begin, end, pid);
  if (error != std::errc() || stop != end || pid <= 0) return std::nullopt;
  return pid;
}

bool process_is_gone(pid_t pid) { return kill(pid, 0) != 0 && errno == ESRCH; }

// HDF5 holds a lock on every file it has open for writing; a file of a live process of another PID
// namespace (a container sharing the folder) is still locked. Folders are not locked: their process id
// alone decides.
bool held_by_another_process(const std::filesystem::path& p) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return false;
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return locked;
}

}  // namespace

std::string temporary_name(const std::string& path) { return path + kMarker + std::to_string(::getpid()); }

std::vector<std::string> remove_stale_temporaries(const std::string& path) {
  namespace fs = std::filesystem;
  std::vector<std::string> removed;
  const fs::path out(path);
  fs::path dir = out.parent_path();
  if (dir.empty()) dir = ".";
  const std::string prefix = out.filename().string() + kMarker;
  std::error_code ec;
  fs::directory_iterator entries(dir, ec);
  if (ec) return removed;
  std::vector<fs::path> stale;
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    const auto pid = writer_pid(name, prefix);
    if (pid && *pid != ::getpid() && process_is_gone(*pid)) stale.push_back(dir / name);
  }
  for (const fs::path& p : stale) {
    if (held_by_another_process(p)) continue;
    if (fs::remove_all(p, ec) > 0 && !ec) removed.push_back(p.string());
  }
  return removed;
}

}  // namespace featpipe::data
