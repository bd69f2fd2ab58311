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
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cword=$COMP_CWORD\n"
      "  local -a words=(\"${COMP_WORDS[@]}\")\n"
      "  # Specs hold characters bash breaks words at ('(', '=', ':'): the words are taken again from the "
      "line,\n"
      "  # split at spaces only, and the candidates lose the head bash does not replace (see the end).\n"
      "  if [[ -n ${COMP_LINE-} ]]; then\n"
      "    local line=${COMP_LINE:0:COMP_POINT}\n"
      "    read -ra words <<<\"$line\"\n"
      "    [[ $line == *[[:space:]] ]] && words+=('')\n"
      "    cword=$((${#words[@]} - 1))\n"
      "    cur=${words[cword]}\n"
      "    prev=${words[cword - 1]}\n"
      "  fi\n"
      "  COMPREPLY=()\n"
      "  if ((cword == 1)); then\n"
      "    COMPREPLY=($(compgen -W '" +
      joined(command_names) +
      " help completion --help --version' -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  if ((cword == 2)) && [[ ${words[1]} == help ]]; then\n"
      "    COMPREPLY=($(compgen -W '" +
      joined(command_names) +
      " features' -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  if ((cword == 2)) && [[ ${words[1]} == completion ]]; then\n"
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
      "    # Bash replaces only its own last word (after the last '(', '=' or ':'): the rest of cur goes.\n"
      "    local head=${cur%\"${COMP_WORDS[COMP_CWORD]}\"}\n"
      "    [[ -n $head ]] && COMPREPLY=(\"${COMPREPLY[@]#\"$head\"}\")\n"
      "    return\n"
      "  fi\n"
      "  [[ $cur == -* ]] || return  # file names, by `complete -o default`\n"
      "  local options=\n"
      "  case ${words[1]} in\n";
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
