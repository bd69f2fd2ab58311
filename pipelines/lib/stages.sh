# Staged-pipeline helpers, sourced by pipelines/<dataset>/run.sh (Kaldi-style recipes).
#   stage N OUTPUT -- COMMAND...   runs COMMAND as stage N unless --stage is past N or OUTPUT exists.
# Outputs are written atomically by featpipe (temporary name, renamed when complete), so an existing
# OUTPUT is a finished stage and a killed run resumes where it stopped.

FEATPIPE=${FEATPIPE:-featpipe}
start_stage=0
fast=0
extra_args=()

parse_stage_args() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --stage) start_stage=$2; shift 2 ;;
      --fast) fast=1; shift ;;
      -h|--help)
        echo "usage: $0 [--stage N] [--fast] $usage_extra"
        echo "  --stage N  start at stage N (earlier stages are assumed done)"
        echo "  --fast     run on a small seeded subset"
        exit 0 ;;
      *) extra_args+=("$1"); shift ;;
    esac
  done
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
