#include "featpipe/pipelines/cli.h"

#include <omp.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <opencv2/core.hpp>
#include <type_traits>

#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/core/registry.h"
#include "featpipe/pipelines/console.h"
#include "featpipe/pipelines/ranks.h"
#include "option_schema.h"

namespace featpipe::pipelines {

namespace {

/// "unrecognised option; did you mean '--lr'? (see featpipe train --help)".
std::string unknown_option_message(const std::string& typed, const po::options_description& options,
                                   const std::string& command) {
  std::vector<std::string> names;
  for (const auto& option : options.options()) {
    if (!option->long_name().empty()) names.push_back("--" + option->long_name());
  }
  const std::optional<std::string> closest = closest_name(typed, names);
  return "unrecognised option" + (closest ? "; did you mean '" + *closest + "'?" : std::string()) +
         " (see featpipe " + command + " --help)";
}

/// Boost prints a floating-point default with 17 digits (0.10000000000000001): each such option gets the
/// shortest text that reads back as its default, here, once for every command.
template <typename T>
void shorten_default(const po::option_description& option) {
  const auto* typed = dynamic_cast<const po::typed_value<T>*>(option.semantic().get());
  boost::any value;
  if (typed == nullptr || !typed->apply_default(value)) return;
  const T number = boost::any_cast<T>(value);
  // The semantic was made by po::value(), not const: only its printed text changes.
  const std::string text = std::is_same_v<T, float> ? format_float(number) : format_number(number);
  const_cast<po::typed_value<T>*>(typed)->default_value(number, text);
}

/// Where parse_command_line records a command's option names instead of parsing (command_option_names).
std::vector<std::string>* option_names_probe = nullptr;

}  // namespace

std::vector<std::string> command_option_names(int (*run)(const std::vector<std::string>& args)) {
  std::vector<std::string> names;
  struct Probe {
    explicit Probe(std::vector<std::string>* names) { option_names_probe = names; }
    ~Probe() { option_names_probe = nullptr; }
  } probe(&names);
  run({"--help"});
  return names;
}

std::optional<po::variables_map> parse_command_line(const std::string& command, const std::string& usage,
                                                    const std::vector<std::string>& args,
                                                    po::options_description options,
                                                    const po::positional_options_description& positional,
                                                    CommonOptions& common) {
  po::options_description general("common options");
  general.add_options()("help,h", "print this help and exit")                                   //
      ("quiet,q", po::bool_switch(&common.quiet), "print nothing but errors")                   //
      ("threads", po::value<int>(&common.threads)->default_value(0), "threads (0: all cores)")  //
      ("seed", po::value<uint64_t>(&common.seed)->default_value(0), "random seed");
  options.add(general);
  if (option_names_probe != nullptr) {
    for (const auto& option : options.options()) {
      if (!option->long_name().empty()) option_names_probe->push_back("--" + option->long_name());
    }
    return std::nullopt;
  }

  po::variables_map vm;
  const po::parsed_options parsed = [&] {
    try {
      return po::command_line_parser(args).options(options).positional(positional).run();
    } catch (const po::unknown_option& e) {
      throw InputError(e.get_option_name(), unknown_option_message(e.get_option_name(), options, command));
    }
  }();
  check_option_ranges(parsed, options);
  po::store(parsed, vm);
  if (vm.count("help")) {
    if (ranks().rank != 0) return std::nullopt;  // printed once per job
    for (const auto& option : options.options()) {
      shorten_default<double>(*option);
      shorten_default<float>(*option);
    }
    std::cout << "usage: featpipe " << command << " " << usage << "\n\n" << options << "\n";
    return std::nullopt;
  }
  po::notify(vm);
  if (ranks().rank != 0) common.quiet = true;  // rank 0 reports for the job
  set_quiet(common.quiet);
  set_command_name(command);
  const int most = kMaxThreadsPerCore * std::max(1, omp_get_num_procs());
  if (common.threads > most) {
    throw InputError("--threads", std::to_string(common.threads) + " is more than " +
                                      std::to_string(kMaxThreadsPerCore) + " per core (" +
                                      std::to_string(most) +
                                      " on this machine); more threads than that only slow the work down");
  }
  if (common.threads > 0) {
    omp_set_num_threads(common.threads);
    cv::setNumThreads(common.threads);
  }
  return vm;
}

void require(const po::variables_map& vm, const std::string& name) {
  if (!vm.count(name)) throw InputError("--" + name, "is required (see --help)");
}

void check_output_path(const std::string& path, const std::string& option,
                       const std::vector<std::pair<std::string, std::string>>& inputs) {
  namespace fs = std::filesystem;
  if (path.empty()) throw InputError(option, "is empty; give an output file name");
  for (const auto& [input_option, input] : inputs) {
    std::error_code ec;
    if (!input.empty() && fs::equivalent(path, input, ec)) {  // false, with ec set, when either is missing
      throw InputError(option, path + " names the same file as " + input_option + " (" + input +
                                   "), which writing it would destroy; give another output path");
    }
  }
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw InputError(path, "directory " + dir.string() + " does not exist; create it first");
  }
  if (fs::is_directory(path, ec)) throw InputError(path, "is a directory; give a file name");
}

}  // namespace featpipe::pipelines
