#pragma once
// Shared command-line plumbing: every command takes --help, --quiet, --threads and --seed.
#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace featpipe::pipelines {

namespace po = boost::program_options;

struct CommonOptions {
  int threads = 0;     // 0: all cores
  uint64_t seed = 0;   // same seed + inputs -> same outputs
  bool quiet = false;  // nothing printed but errors (console.h)
};

/// Parses args against `options` (plus the common ones) and positional names. Returns std::nullopt after
/// printing help for --help (exit 0). Throws InputError naming the option on unknown or malformed options.
/// Applies --threads to OpenMP and OpenCV, and --quiet to the console (console.h).
std::optional<po::variables_map> parse_command_line(const std::string& command, const std::string& usage,
                                                    const std::vector<std::string>& args,
                                                    po::options_description options,
                                                    const po::positional_options_description& positional,
                                                    CommonOptions& common);

/// --threads is refused above this many threads per core: every thread gets a stack and scratch buffers,
/// and tens of thousands of them exhaust the process long before they could help.
inline constexpr int kMaxThreadsPerCore = 8;

/// InputError("--name", "is required ...") when absent.
void require(const po::variables_map& vm, const std::string& name);

/// InputError when the directory of an output path does not exist, or when the path names the same file
/// (directly or through a link) as one of the command's inputs, given as {option, path}: the output would
/// replace it.
void check_output_path(const std::string& path, const std::string& option,
                       const std::vector<std::pair<std::string, std::string>>& inputs = {});

/// The long option names ("--epochs") of a command, common options included, taken from the description it
/// parses with: `run` is called as for --help, but parse_command_line records the names instead of printing.
std::vector<std::string> command_option_names(int (*run)(const std::vector<std::string>& args));

}  // namespace featpipe::pipelines
