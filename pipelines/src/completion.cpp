#include "completion.h"

#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/command.h"
#include "spec_options.h"

namespace featpipe::pipelines {
namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

std::string bash_completion_script() {
  std::vector<std::string> command_names;
  for (const Command& c : commands()) command_names.push_back(c.name);
  std::string script =
      "# bash completion for featpipe, printed by `featpipe completion bash` from the command's own tables.\n"
      "_featpipe() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
      "  COMPREPLY=()\n"
      "  if ((COMP_CWORD == 1)); then\n"
      "    COMPREPLY=($(compgen -W '" +
      joined(command_names) +
      " help completion --help --version' -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  if ((COMP_CWORD == 2)) && [[ ${COMP_WORDS[1]} == help ]]; then\n"
      "    COMPREPLY=($(compgen -W '" +
      joined(command_names) +
      " features' -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  if ((COMP_CWORD == 2)) && [[ ${COMP_WORDS[1]} == completion ]]; then\n"
      "    COMPREPLY=($(compgen -W 'bash' -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  local names=\n"
      "  case $prev in\n";
  for (const SpecOption& o : spec_options())
    script += "    " + o.option + ") names='" + joined(o.names) + "' ;;\n";
  script +=
      "  esac\n"
      "  if [[ -n $names ]]; then\n"
      "    # Terms joined by '+' (hog+huehist): complete the one being typed, after the last '+'.\n"
      "    local done=\n"
      "    [[ $cur == *+* ]] && done=${cur%+*}+\n"
      "    COMPREPLY=($(compgen -W \"$names\" -P \"$done\" -- \"${cur##*+}\"))\n"
      "    return\n"
      "  fi\n"
      "  [[ $cur == -* ]] || return  # file names, by `complete -o default`\n"
      "  local options=\n"
      "  case ${COMP_WORDS[1]} in\n";
  for (const Command& c : commands()) {
    script += "    " + std::string(c.name) + ") options='" + joined(command_option_names(c.run)) + "' ;;\n";
  }
  script +=
      "  esac\n"
      "  COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
      "}\n"
      "complete -o default -F _featpipe featpipe\n";
  return script;
}

}  // namespace featpipe::pipelines
