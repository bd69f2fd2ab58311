# How a stage made its output, kept beside it in OUTPUT.stage (sourced by lib/stages.sh):
#   command WORD...             the stage's command, each word quoted, $exp for the experiment folder
#   input PATH DIGEST           every file the command names that exists (the stores it reads)
#   output SIZE MTIME DIGEST    the output as its stage wrote it
# The record is written once the output is complete, so an output without one (a killed run, a file put
# there by hand) is made again.
#
# Digests are the sha256 of the file's bytes. A stat alone (size + mtime) is not sound: a copy of an
# unchanged store gets a new mtime, and a store rewritten within a second may keep both. featpipe's content
# digest (data/store_digest.h, which a model's "chain" records) reads a store through HDF5 dataset by
# dataset; sha256sum streams the bytes at disk speed and covers every file, the report too. It is computed
# once per output, when its stage ends, and recorded with the file's size and mtime (ns): later runs reuse
# it while both are unchanged (the file was not written since) and hash the file again when either
# differs, so a copy is hashed once and reruns nothing unless its bytes differ.

# stage_path PATH: PATH with the experiment folder written as $exp, so that a moved folder stays up to date.
stage_path() {
  local path=$1
  [[ -n ${exp:-} ]] && path=${path//"$exp"/'$exp'}
  printf '%s' "$path"
}

# file_stamp PATH: "SIZE MTIME" with the mtime in nanoseconds.
file_stamp() { stat -c '%s %.9Y' -- "$1"; }

# file_digest PATH: the sha256 of PATH, taken from PATH.stage while PATH's stamp is the one recorded there.
file_digest() {
  local path=$1 stamp line=""
  stamp=$(file_stamp "$path")
  [[ -f $path.stage ]] && line=$(grep -m1 '^output ' "$path.stage" || true)
  if [[ -n $line && ${line#output } == "$stamp "* ]]; then
    echo "${line##* }"
  else
    sha256sum -- "$path" | cut -d' ' -f1
  fi
}

# stage_wanted OUTPUT COMMAND...: the record (without its output line) the stage would leave if run now.
stage_wanted() {
  local output=$1 word quoted=()
  shift
  for word in "$@"; do quoted+=("$(printf '%q' "$(stage_path "$word")")"); done
  echo "command ${quoted[*]}"
  for word in "$@"; do
    if [[ $word != "$output" && -f $word ]]; then echo "input $(stage_path "$word") $(file_digest "$word")"; fi
  done
}

# words_changed OLD NEW: the words of NEW that differ from OLD's, with the word before each (the option):
# "--epochs 5 -> 10"; when the counts differ, the words dropped and added.
words_changed() {
  local old=() new=() i changes=()
  read -r -a old <<<"$1"
  read -r -a new <<<"$2"
  if (( ${#old[@]} == ${#new[@]} )); then
    for (( i = 1; i < ${#new[@]}; ++i )); do
      [[ ${old[i]} != "${new[i]}" ]] && changes+=("${new[i - 1]} ${old[i]} -> ${new[i]}")
    done
    local joined
    printf -v joined '%s; ' "${changes[@]}"
    echo "${joined%; }"
  else
    echo "dropped: $(comm -23 <(printf '%s\n' "${old[@]}" | sort) <(printf '%s\n' "${new[@]}" | sort) | xargs)," \
      "added: $(comm -13 <(printf '%s\n' "${old[@]}" | sort) <(printf '%s\n' "${new[@]}" | sort) | xargs)"
  fi
}

# stage_changes OUTPUT WANTED: why OUTPUT is not what its stage would make now, or nothing when it is.
stage_changes() {
  local output=$1 wanted=$2 record=$1.stage line old new
  if [[ ! -f $record ]]; then
    echo "$output has no record of how it was made"
    return
  fi
  line=$(grep -m1 '^output ' "$record" || true)
  if [[ $(file_digest "$output") != "${line##* }" ]]; then
    echo "$output changed since its stage wrote it"
    return
  fi
  old=$(grep -m1 '^command ' "$record" || true)
  new=$(grep -m1 '^command ' <<<"$wanted")
  if [[ $old != "$new" ]]; then
    echo "the command changed ($(words_changed "$old" "$new"))"
    return
  fi
  local changed
  changed=$(comm -13 <(grep '^input ' "$record" | sort) <(grep '^input ' <<<"$wanted" | sort) | cut -d' ' -f2 |
    sort -u | xargs)
  if [[ -n $changed ]]; then
    echo "changed input: $changed"
  elif [[ $(grep -c '^input ' "$record") != $(grep -c '^input ' <<<"$wanted") ]]; then
    echo "an input is missing"
  fi
}

# stage_save OUTPUT WANTED: records how OUTPUT was made, once it is complete (renamed into place).
stage_save() {
  local output=$1 wanted=$2
  {
    echo "$wanted"
    echo "output $(file_stamp "$output") $(sha256sum -- "$output" | cut -d' ' -f1)"
  } >"$output.stage.tmp"
  mv -f "$output.stage.tmp" "$output.stage"
}
