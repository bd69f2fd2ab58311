# Staged-pipeline helpers, sourced by pipelines/<dataset>/run.sh (Kaldi-style recipes).
#   stage N OUTPUT -- COMMAND...   runs COMMAND as stage N unless --stage is past N or OUTPUT exists.
# Outputs are written atomically by featpipe (temporary name, renamed when complete), so an existing
# OUTPUT is a finished stage and a killed run resumes where it stopped.

# The featpipe to run: $FEATPIPE when set; else the one these scripts came with, so that scripts and binary
# match wherever they are run from: installed (<prefix>/share/featpipe/pipelines/lib ->
# <prefix>/bin/featpipe) or in the source tree (<src>/pipelines/lib -> <src>/build/featpipe); else featpipe
# on PATH.
featpipe_beside() {
  local lib candidate=""
  lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  case "$lib" in
    */share/featpipe/pipelines/lib) candidate=${lib%/share/featpipe/pipelines/lib}/bin/featpipe ;;
    */pipelines/lib) candidate=${lib%/pipelines/lib}/build/featpipe ;;
  esac
  if [[ -n $candidate && -f $candidate && -x $candidate ]]; then
    echo "$candidate"
  else
    echo featpipe
  fi
}
FEATPIPE=${FEATPIPE:-$(featpipe_beside)}
# The command that starts the heavy stages (extract, descriptors, vocab, encode, sweep) on several processes,
# e.g. "mpirun -np 4" or "srun": --launcher, else $FEATPIPE_LAUNCH, else none. Their outputs are the same
# bits as without it (README, "Several processes (MPI)").
launcher=${FEATPIPE_LAUNCH:-}
start_stage=0
fast=0
extra_args=()

parse_stage_args() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --stage) start_stage=$2; shift 2 ;;
      --fast) fast=1; shift ;;
      --exp) EXP=$2; shift 2 ;;
      --launcher) launcher=$2; shift 2 ;;
      -h|--help)
        echo "usage: $0 [--stage N] [--fast] [--exp DIR] [--launcher CMD] $usage_extra"
        echo "  --stage N  start at stage N (earlier stages are assumed done)"
        echo "  --fast     run on a small seeded subset"
        echo "  --exp DIR  write every output to DIR (default: \$EXP, else exp/<dataset>[-fast])"
        echo "  --launcher CMD  start the heavy stages with CMD, e.g. \"mpirun -np 4\" (default: \$FEATPIPE_LAUNCH)"
        exit 0 ;;
      *) extra_args+=("$1"); shift ;;
    esac
  done
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
  if [[ -e $output ]]; then
    echo "stage $n: $output exists, skipped"
    return 0
  fi
  echo "stage $n: $*"
  local t0=$SECONDS
  "$@"
  echo "stage $n: done in $((SECONDS - t0)) s"
}
