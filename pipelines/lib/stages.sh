# Staged-pipeline helpers, sourced by pipelines/<dataset>/run.sh (Kaldi-style recipes).
#   stage N OUTPUT -- COMMAND...   runs COMMAND as stage N unless --stage is past N or OUTPUT is up to date.
# Outputs are written atomically by featpipe (temporary name, renamed when complete), and a stage records
# how it made its output in OUTPUT.stage once the output is complete (stage_record.sh), so a killed run
# resumes where it stopped and a changed option or input reruns exactly the stages that depend on it.

# The featpipe to run: $FEATPIPE when set; else the one these scripts came with, so that scripts and binary
# match wherever they are run from: installed (<prefix>/share/featpipe/pipelines/lib ->
# <prefix>/bin/featpipe), the build tree's copy (<build>/pipelines/lib -> <build>/featpipe) or the source
# tree (<src>/pipelines/lib -> <src>/build/featpipe); else featpipe on PATH.
featpipe_beside() {
  local lib root candidate
  lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  case "$lib" in
    */share/featpipe/pipelines/lib) root=${lib%/share/featpipe/pipelines/lib}/bin ;;
    */pipelines/lib) root=${lib%/pipelines/lib} ;;
  esac
  for candidate in ${root:+"$root/featpipe" "$root/build/featpipe"}; do
    if [[ -f $candidate && -x $candidate ]]; then
      echo "$candidate"
      return
    fi
  done
  echo featpipe
}
FEATPIPE=${FEATPIPE:-$(featpipe_beside)}
if ! command -v "$FEATPIPE" >/dev/null; then
  echo "$0: error: featpipe not found (not beside these scripts, not on PATH): set FEATPIPE=/path/to/featpipe," \
    "or run the copy of this recipe in the build tree (<build>/pipelines/)" >&2
  exit 2
fi
. "$(dirname "${BASH_SOURCE[0]}")/stage_record.sh"
. "$(dirname "${BASH_SOURCE[0]}")/recipe_config.sh"

# The command that starts the heavy stages (extract, descriptors, vocab, encode, sweep) on several processes,
# e.g. "mpirun -np 4" or "srun": --launcher, else $FEATPIPE_LAUNCH, else none. Their outputs are the same
# bits as without it (README, "Several processes (MPI)").
launcher=${FEATPIPE_LAUNCH:-}
start_stage=0
fast=0
extra_args=()
declare -A given=()  # the shared options given on the command line (recipe_config.sh)

# parse_stage_args MIN MAX ARG...: the shared options of ARG into their variables, the recipe's own arguments
# into extra_args; the usage and exit 2 unless there are MIN to MAX of those.
parse_stage_args() {
  local min=$1 max=$2
  shift 2
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --stage) start_stage=$2; shift 2 ;;
      --fast) fast=1; shift ;;
      --exp) EXP=$2; shift 2 ;;
      --launcher) launcher=$2; shift 2 ;;
      --val-size) given[val]=$2; shift 2 ;;
      --subset) given[subset]=$2; shift 2 ;;
      --seed) given[seed]=$2; shift 2 ;;
      --epochs) given[epochs]=$2; shift 2 ;;
      --batch) given[batch]=$2; shift 2 ;;
      -h|--help)
        echo "usage: $0 [--stage N] [--fast] [--exp DIR] [--launcher CMD] [OPTIONS] $usage_extra"
        echo "  --stage N  start at stage N (earlier stages are assumed done)"
        echo "  --fast     run on a small seeded subset"
        echo "  --exp DIR  write every output to DIR (default: \$EXP, else exp/<dataset>[-fast])"
        echo "  --launcher CMD  start the heavy stages with CMD, e.g. \"mpirun -np 4\" (default: \$FEATPIPE_LAUNCH)"
        echo "  --val-size V, --subset N, --seed S  options every stage shares, kept in DIR/config: given, they"
        echo "             replace its values (and rerun what depends on them); else its values are used"
        echo "  --epochs E, --batch B  the sweeps' training (default: scaled to the training set's size)"
        exit 0 ;;
      *) extra_args+=("$1"); shift ;;
    esac
  done
  if (( ${#extra_args[@]} < min || ${#extra_args[@]} > max )); then
    echo "usage: $0 [--stage N] [--fast] $usage_extra" >&2
    exit 2
  fi
}

# heavy COMMAND...: a featpipe command of a heavy stage, started by the launcher when there is one.
heavy() {
  local words=()
  read -r -a words <<<"$launcher"
  "${words[@]}" "$FEATPIPE" "$@"
}

stage() {
  local n=$1 output=$2
  shift 2
  [[ $1 == "--" ]] && shift
  if (( n < start_stage )); then
    return 0
  fi
  local wanted why
  wanted=$(stage_wanted "$output" "$@")
  if [[ -e $output ]]; then
    why=$(stage_changes "$output" "$wanted")
    if [[ -z $why ]]; then
      echo "stage $n: $output is up to date, skipped"
      return 0
    fi
    echo "stage $n: rerun: $why"
  fi
  echo "stage $n: $*"
  local t0=$SECONDS
  "$@"
  stage_save "$output" "$wanted"
  echo "stage $n: done in $((SECONDS - t0)) s"
}
