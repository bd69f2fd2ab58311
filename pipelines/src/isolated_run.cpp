#include "isolated_run.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "featpipe/core/errors.h"

namespace featpipe::pipelines {
namespace {

constexpr int kDoneStatus = 0;
constexpr int kFailedStatus = 2;

void write_all(int fd, const std::string& text) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t n = ::write(fd, text.data() + sent, text.size() - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void run_child(int fd, const std::function<std::string()>& work) {
  int status = kFailedStatus;
  std::string message;
  try {
    message = work();
    status = kDoneStatus;
  } catch (const InputError& e) {
    message = e.what();
  } catch (const std::exception& e) {  // a library's own exception on a damaged file
    message = std::string("reading it failed: ") + e.what();
  }
  write_all(fd, message);
  ::close(fd);
  std::_Exit(status);  // no atexit handlers or stdio buffers of the parent's
}

/// Reads fd until end of file or the deadline; false when the deadline passed first.
bool read_until_eof(int fd, std::string& out, std::chrono::steady_clock::time_point deadline) {
  char buffer[4096];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1 << 30)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline is checked above
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

IsolatedResult run_isolated(const std::function<std::string()>& work, double timeout_seconds) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(fds[0]);
    run_child(fds[1], work);
  }
  ::close(fds[1]);
  IsolatedResult r;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                             std::chrono::duration<double>(timeout_seconds));
  const bool finished = read_until_eof(fds[0], r.message, deadline);
  ::close(fds[0]);
  if (!finished) {
    ::kill(pid, SIGKILL);
    wait_child(pid);
    r.outcome = IsolatedResult::Outcome::timed_out;
    r.message.clear();
    return r;
  }
  const int status = wait_child(pid);
  if (WIFEXITED(status) && WEXITSTATUS(status) == kDoneStatus) {
    r.outcome = IsolatedResult::Outcome::done;
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == kFailedStatus) {
    r.outcome = IsolatedResult::Outcome::failed;
  } else {
    r.outcome = IsolatedResult::Outcome::crashed;
    r.message = WIFSIGNALED(status) ? std::string("signal ") + ::strsignal(WTERMSIG(status))
                                    : "exit status " + std::to_string(WEXITSTATUS(status));
  }
  return r;
}

}  // namespace featpipe::pipelines
