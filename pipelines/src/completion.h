#pragma once
// Private: `featpipe completion bash`, the bash completion script, generated from the tables the command
// reads (the command table, each command's option description, the spec registries), so that it offers
// exactly what the featpipe that printed it accepts.
#include <string>

namespace featpipe::pipelines {

/// The script: defines _featpipe and registers it with `complete` for featpipe. It completes command
/// names (and `help` topics), each command's long options, and the names of a spec option's registry after
/// that option (after the last '+' where terms are joined); anything else falls back to file names.
std::string bash_completion_script();

}  // namespace featpipe::pipelines
