// featpipe merge: a sharded store (written by a stage on several ranks) copied into one plain store.
#include <iostream>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/data/sharded_store.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/console.h"

namespace featpipe::pipelines {

int run_merge(const std::vector<std::string>& args) {
  po::options_description options("merge options");
  std::string in, out;
  options.add_options()                                                                      //
      ("store", po::value(&in), "store to copy: sharded (F.h5 over F.h5.shards/) or plain")  //
      ("out", po::value(&out), "output store (.h5): one plain file with the same datasets and rows");
  po::positional_options_description positional;
  positional.add("store", 1);
  CommonOptions common;
  auto vm = parse_command_line("merge", "F.h5 --out G.h5", args, options, positional, common);
  if (!vm) return 0;
  require(*vm, "store");
  require(*vm, "out");
  check_output_path(out, "--out", {{"the store", in}});
  const uint64_t rows = data::merge_store(in, out);
  notify(Notice::info, "wrote " + out + ": " + std::to_string(rows) + " rows of " + in + " in one file");
  return 0;
}

}  // namespace featpipe::pipelines
