// featpipe verify: every dataset of a store read and checked end to end (store_check.h) in a child process,
// so that a store damaged on disk is reported as corrupt even where HDF5 crashes or hangs on it.
#include <cstdio>

#include "commands.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/pipelines/chain_digest.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/store_check.h"
#include "isolated_run.h"

namespace featpipe::pipelines {
namespace {

constexpr const char* kOk = "ok\n";        // the child's answer: the store is whole (then the summary) ...
constexpr const char* kStale = "stale\n";  // ... or whole, but a model whose chain input has changed

/// Runs in the child: the summary line, or the chain's InputError message.
std::string verify(const std::string& path) {
  const StoreCheck c = check_store(path);
  std::string summary = c.kind + ", " + std::to_string(c.datasets) + " datasets, " +
                        std::to_string(c.values) + " values; " + c.detail;
  if (c.kind == "model") {
    try {
      check_chain_digests(classify::load_model(path).provenance, path);
    } catch (const InputError& e) {
      return kStale + std::string(e.what());
    }
    summary += "; the inputs of its feature chain that exist are unchanged";
  }
  return kOk + summary;
}

/// The problem of an InputError message about path, without the path.
std::string problem(const std::string& message, const std::string& path) {
  const std::string prefix = path + ": ";
  return message.compare(0, prefix.size(), prefix) == 0 ? message.substr(prefix.size()) : message;
}

/// Rethrows an InputError message "<subject>: <problem>" as it was.
[[noreturn]] void rethrow(const std::string& message) {
  const std::size_t colon = message.find(": ");
  if (colon == std::string::npos) throw InputError("verify", message);
  throw InputError(message.substr(0, colon), message.substr(colon + 2));
}

}  // namespace

int run_verify(const std::vector<std::string>& args) {
  po::options_description options("verify options");
  std::string path;
  double timeout = 600;
  options.add_options()                                                       //
      ("store", po::value(&path), "store (.h5) of any kind featpipe writes")  //
      ("timeout", po::value(&timeout)->default_value(timeout),
       "seconds the check may take before the store is reported as corrupt (HDF5 loops on some damage)");
  po::positional_options_description positional;
  positional.add("store", 1);
  CommonOptions common;
  auto vm = parse_command_line("verify", "F.h5 [--timeout S]", args, options, positional, common);
  if (!vm) return 0;
  require(*vm, "store");
  if (!(timeout > 0)) throw InputError("--timeout", "must be a positive number of seconds");

  const IsolatedResult r = run_isolated([&] { return verify(path); }, timeout);
  switch (r.outcome) {
    case IsolatedResult::Outcome::done:
      if (r.message.rfind(kStale, 0) == 0) rethrow(r.message.substr(std::string(kStale).size()));
      std::printf("%s: ok: %s\n", path.c_str(), r.message.substr(std::string(kOk).size()).c_str());
      return 0;
    case IsolatedResult::Outcome::failed:
      throw InputError(path, "corrupt store: " + problem(r.message, path));
    case IsolatedResult::Outcome::crashed:
      throw InputError(path, "corrupt store: reading it ended the reading process (" + r.message +
                                 "); write it again with the stage that made it");
    case IsolatedResult::Outcome::timed_out:
      break;
  }
  throw InputError(path, "corrupt store: reading it did not finish within " + format_number(timeout) +
                             " s (--timeout); write it again with the stage that made it");
}

}  // namespace featpipe::pipelines
