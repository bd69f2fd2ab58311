#pragma once
// Runs the featpipe binary (FEATPIPE_BINARY, set by CMake) and captures its exit code, stdout and stderr.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
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

/// Runs `featpipe args...` with stdout and stderr captured in files next to `scratch`.
inline CliResult run_featpipe(const std::vector<std::string>& args, const std::filesystem::path& scratch) {
  const auto out_path = scratch / "cli.stdout";
  const auto err_path = scratch / "cli.stderr";
  std::string cmd = shell_quote(FEATPIPE_BINARY);
  for (const std::string& a : args) cmd += " " + shell_quote(a);
  cmd += " >" + shell_quote(out_path.string()) + " 2>" + shell_quote(err_path.string()) + " </dev/null";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return r;
}

/// Files in dir (not recursive), for "nothing half-written" checks.
inline std::vector<std::string> list_dir(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  return names;
}

}  // namespace featpipe::testing
