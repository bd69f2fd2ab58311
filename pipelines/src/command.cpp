#include "featpipe/pipelines/command.h"

#include <algorithm>
#include <boost/program_options/errors.hpp>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "completion.h"
#include "featpipe/core/cpu_level.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/registry.h"
#include "featpipe/pipelines/interrupt.h"
#include "featpipe/pipelines/ranks.h"
#include "spec_options.h"
#include "version.h"

namespace featpipe::pipelines {
namespace {

void print_usage(std::ostream& out) {
  out << "usage: featpipe <command> [options]   (featpipe <command> --help for its options)\n"
         "       featpipe help <command>        (the same)\n"
         "       featpipe help features         (every extractor, descriptor, encoding, ... and its "
         "parameters)\n"
         "       featpipe completion bash       (the bash completion script)\n"
         "       featpipe --version             (version, CPU level, libraries)\n"
         "       featpipe <command> -q ...      (--quiet: print nothing but errors)\n\n"
         "The classic image-classification pipeline: features, vocabularies, encodings and linear\n"
         "classifiers, every stage stored in HDF5.\n\ncommands:\n";
  for (const Command& c : commands()) {
    out << "  " << c.name << std::string(14 - std::min<size_t>(12, std::strlen(c.name)), ' ') << c.summary
        << "\n";
  }
  out << "\nexit codes: 0 success, 2 bad input or usage, 3 the run failed (e.g. training diverged),\n"
         "130 / 143 / 129 interrupted by SIGINT / SIGTERM / SIGHUP (nothing finished-looking is left "
         "behind)\n";
}

/// The message of a command-line error. boost::program_options fills its template by replacing each
/// %placeholder% until none is left, so a value holding its own placeholder (`--seed %value%`) would be
/// replaced forever: the user's text goes in with each '%' as a control byte, and comes out as typed.
std::string command_line_message(boost::program_options::error& e) {
  struct Substitutions : boost::program_options::error_with_option_name {
    static std::map<std::string, std::string>& of(error_with_option_name& e) {
      return e.*(&Substitutions::m_substitutions);
    }
  };
  constexpr char kPercent = '\x1f';
  auto* named = dynamic_cast<boost::program_options::error_with_option_name*>(&e);
  if (named == nullptr) return e.what();
  for (auto& substitution : Substitutions::of(*named)) {
    std::replace(substitution.second.begin(), substitution.second.end(), '%', kPercent);
  }
  std::string message = e.what();
  std::replace(message.begin(), message.end(), kPercent, '%');
  return message;
}

int error(const std::string& message, int code) {
  std::cerr << "featpipe: error: " << message << "\n";
  return code;
}

/// run(), with every failure printed and turned into its exit code. `name` is what the user typed; the
/// hint ends the message of an allocation failure.
template <typename Run>
int run_reporting_errors(const std::string& name, const std::string& out_of_memory_hint, Run&& run) {
  try {
    // The CPU level is fixed once per process, before any kernel runs: a bad FEATPIPE_CPU is a usage error
    // of every command, whether or not this one reaches a dispatched kernel.
    cpu::active();
    return run();
  } catch (const InputError& e) {
    return error(e.what(), kExitBadInput);
  } catch (const std::invalid_argument& e) {
    return error(e.what(), kExitBadInput);
  } catch (boost::program_options::error& e) {
    return error(command_line_message(e) + " (see featpipe " + name + " --help)", kExitBadInput);
  } catch (const Interrupted& e) {
    return error(e.what(), e.exit_code());
  } catch (const std::bad_alloc&) {
    return error(name + ": out of memory" + out_of_memory_hint, kExitRunFailed);
  } catch (const RunError& e) {
    return error(e.what(), kExitRunFailed);
  } catch (const std::exception& e) {
    return error(std::string("internal error: ") + e.what(), kExitRunFailed);
  }
}

/// "<name>: unknown command; did you mean `train`? ..." (the suggestion when one is close). `others`: names
/// besides the commands that the place it was typed knows (`features` after `help`).
std::string unknown_command(const std::string& name, const std::vector<std::string>& others = {}) {
  std::vector<std::string> names = others;
  for (const Command& c : commands()) names.push_back(c.name);
  const std::optional<std::string> closest = closest_name(name, names);
  return name + ": unknown command; " + (closest ? "did you mean `" + *closest + "`? " : "") +
         "`featpipe --help` lists the commands";
}

}  // namespace

int run_command(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return kExitBadInput;
  }
  const std::string name = argv[1];
  if (name == "help" && argc >= 3 && std::strcmp(argv[2], "features") == 0) {
    std::cout << spec_options_help();
    return kExitOk;
  }
  if (name == "completion") {
    if (argc != 3 || std::strcmp(argv[2], "bash") != 0) {
      return error(std::string(argc < 3 ? "completion" : argv[2]) +
                       ": featpipe completion takes the shell, and knows bash: featpipe completion bash",
                   kExitBadInput);
    }
    std::cout << bash_completion_script();
    return kExitOk;
  }
  if (name == "help" && argc >= 3) {  // `featpipe help train` is `featpipe train --help`
    const std::string command = argv[2];
    const auto known = [&](const Command& c) { return command == c.name; };
    if (std::none_of(commands().begin(), commands().end(), known)) {
      return error(unknown_command(command, {"features"}), kExitBadInput);
    }
    char help[] = "--help";
    std::vector<char*> args = {argv[0], argv[2], help};
    return run_command(static_cast<int>(args.size()), args.data());
  }
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return kExitOk;
  }
  if (name == "--version") {
    return run_reporting_errors(name, "", [] {
      if (ranks().rank == 0) print_version(std::cout);  // once per job
      return kExitOk;
    });
  }
  for (const Command& c : commands()) {
    if (name != c.name) continue;
    const Ranks& job = ranks();
    if (job.size > 1 && !c.on_ranks) {
      // Every rank would do the whole work and write the same outputs.
      if (job.rank != 0) return kExitBadInput;
      return error(name + ": does not run on several ranks (this job has " + std::to_string(job.size) +
                       "); run it without mpirun",
                   kExitBadInput);
    }
    // Rank 0 reports for the job: the others' standard output would repeat its lines (their errors, on
    // standard error, still name what failed where). Should /dev/null not open, stdout is closed: as quiet.
    if (job.size > 1 && job.rank != 0) {
      [[maybe_unused]] std::FILE* nowhere = std::freopen("/dev/null", "w", stdout);
    }
    const std::vector<std::string> args(argv + 2, argv + argc);
    const int code = run_reporting_errors(name, c.out_of_memory_hint, [&] {
      std::optional<InterruptGuard> interrupts;  // restored before the error is printed
      if (c.interruptible) interrupts.emplace();
      return c.run(args);
    });
    // A rank that failed alone would leave the others waiting for it in their next collective operation:
    // it ends the whole job with its exit code (mpirun reports the rank), before any rank can finish a
    // store that depends on its share.
    if (code != kExitOk && job.size > 1) {
      std::cerr << "featpipe: rank " << job.rank << " of " << job.size << " failed (exit " << code
                << "); ending the job\n";
      std::cerr.flush();
      job.collective->abort(code);
    }
    return code;
  }
  return error(unknown_command(name), kExitBadInput);
}

}  // namespace featpipe::pipelines
