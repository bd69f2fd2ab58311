#pragma once
// Runs the featpipe binary (FEATPIPE_BINARY, set by CMake) and captures its exit code, stdout and stderr.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace featpipe::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The result of a finished run from its wait status (128 + signal when a signal ended it) and its output
/// files, which are removed.
inline CliResult collect(int status, const std::filesystem::path& out, const std::filesystem::path& err) {
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

/// An environment variable set (or, given nullptr, unset) for the runs started while this object lives; the
/// earlier value comes back on destruction.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const char* value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    set(value);
  }
  ~ScopedEnv() { set(old_ ? old_->c_str() : nullptr); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  void set(const char* value) const {
    if (value != nullptr) {
      setenv(name_.c_str(), value, 1);
    } else {
      unsetenv(name_.c_str());
    }
  }

  std::string name_;
  std::optional<std::string> old_;
};

/// Runs `featpipe args...` with stdout and stderr captured in files next to `scratch`, with the environment
/// variables `env` ("NAME=value") added to its environment; `shell_setup` runs first in the same shell.
inline CliResult run_featpipe(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                              const std::vector<std::string>& env = {}, const std::string& shell_setup = "") {
  const auto out_path = scratch / "cli.stdout";
  const auto err_path = scratch / "cli.stderr";
  std::string cmd = shell_setup;
  for (const std::string& e : env) {
    cmd += "export ";
    cmd += shell_quote(e);
    cmd += "; ";
  }
  cmd += shell_quote(FEATPIPE_BINARY);
  // Appended piece by piece: g++ 12 at -O3 reports a false -Wstringop-overflow in `" " + shell_quote(a)`.
  for (const std::string& a : args) {
    cmd += ' ';
    cmd += shell_quote(a);
  }
  cmd += " >" + shell_quote(out_path.string()) + " 2>" + shell_quote(err_path.string()) + " </dev/null";
  return collect(std::system(cmd.c_str()), out_path, err_path);
}

/// run_featpipe with the files featpipe writes limited to `kib` KiB (RLIMIT_FSIZE): a write past the limit
/// fails with EFBIG as a write to a full disk fails with ENOSPC, on any machine and without mounting a small
/// file system. SIGXFSZ, which would end the process instead, is ignored (an ignored signal stays ignored
/// across exec). The captured stdout and stderr are files too: what the run prints must stay under the limit.
inline CliResult run_featpipe_with_file_limit(const std::vector<std::string>& args,
                                              const std::filesystem::path& scratch, int kib) {
  return run_featpipe(args, scratch, {}, "trap '' XFSZ; ulimit -f " + std::to_string(kib) + "; ");
}

/// `featpipe args...` running in the background, stdout and stderr in files next to `scratch`, to be
/// signalled mid-run.
class BackgroundRun {
 public:
  BackgroundRun(const std::vector<std::string>& args, const std::filesystem::path& scratch)
      : out_(scratch / "bg.stdout"), err_(scratch / "bg.stderr") {
    std::vector<std::string> argv_strings{FEATPIPE_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& a : argv_strings) argv.push_back(a.data());
      argv.push_back(nullptr);
      if (!std::freopen(out_.c_str(), "w", stdout) || !std::freopen(err_.c_str(), "w", stderr)) _exit(126);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~BackgroundRun() {
    if (pid_ > 0 && !finished_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  BackgroundRun(const BackgroundRun&) = delete;
  BackgroundRun& operator=(const BackgroundRun&) = delete;

  bool running() {
    if (finished_) return false;
    finished_ = waitpid(pid_, &status_, WNOHANG) == pid_;
    return !finished_;
  }
  void signal(int sig) const { kill(pid_, sig); }
  pid_t pid() const { return pid_; }
  /// Waits until the process's stdout or stderr holds `text`, a line it prints once it is at the work a
  /// signal is meant to interrupt; true when it is still running then.
  bool wait_for_output(const std::string& text) {
    while (running()) {
      if (slurp(out_).find(text) != std::string::npos || slurp(err_).find(text) != std::string::npos) {
        return running();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
  /// Waits until the process catches `sig` (its handler is installed: /proc/PID/status, SigCgt), the sign
  /// that the signal will be handled rather than end it; true when it is still running then.
  bool wait_for_handler(int sig) {
    while (running()) {
      std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
      std::string line;
      while (std::getline(status, line)) {
        if (line.rfind("SigCgt:", 0) != 0) continue;
        const unsigned long long caught = std::stoull(line.substr(7), nullptr, 16);
        if (caught >> (sig - 1) & 1) return running();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
  /// Waits for the exit; the exit code is 128 + signal when a signal ended it.
  CliResult finish() {
    if (!finished_) waitpid(pid_, &status_, 0);
    finished_ = true;
    return collect(status_, out_, err_);
  }

 private:
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
  int status_ = 0;
  bool finished_ = false;
};

/// Files in dir (not recursive), for "nothing half-written" checks.
inline std::vector<std::string> list_dir(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  return names;
}

}  // namespace featpipe::testing
