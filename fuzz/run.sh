#!/usr/bin/env bash
# Runs fuzz targets of a FEATPIPE_FUZZ build for a bounded time each, one after the other, then prints the
# executions per second of each. Every finding (crash, leak, timeout, out-of-memory) is kept in
# BUILD/fuzz/artifacts/<target>/ and triaged by fuzz/triage.py; exits 1 when any is in featpipe's code.
# Findings inside a system library on a corrupt input (HDF5 1.10.8 has many) are listed but fail nothing.
#   fuzz/run.sh BUILD SECONDS SEEDS [TARGET...]   (make fuzz: BUILD=build-fuzz, SEEDS from the FuzzSeeds
#                                                 test; all targets unless some are named)
set -uo pipefail

build=${1:?usage: fuzz/run.sh BUILD SECONDS SEEDS [TARGET...]}
seconds=${2:?usage: fuzz/run.sh BUILD SECONDS SEEDS [TARGET...]}
seeds=${3:?usage: fuzz/run.sh BUILD SECONDS SEEDS [TARGET...]}
shift 3
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then  # every target fuzz/CMakeLists.txt built
  for binary in "$build"/fuzz/fuzz_*; do
    [[ -f $binary && -x $binary ]] && targets+=("$(basename "$binary")")
  done
fi
here=$(dirname "$0")

# A failed allocation returns null, as glibc's malloc does, instead of ending the run: the libraries then
# report corrupt sizes as errors, which featpipe must turn into InputError. featpipe's own oversized
# requests are still findings (operator new throws; -malloc_limit_mb reports anything above 2 GiB).
export ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# Seconds one input may take (inputs take milliseconds): HDF5's infinite loops on some corrupt files cost
# this much each, so it is short. triage.py reruns with the same limit.
export FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-5}

summary=()
failed=()
for target in "${targets[@]}"; do
  binary=$build/fuzz/$target
  corpus=$build/fuzz/corpus/$target
  artifacts=$build/fuzz/artifacts/$target
  log=$build/fuzz/$target.log
  rm -rf "$artifacts"
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz: $target for ${seconds}s (log: $log)"
  # Fork mode keeps fuzzing after a finding, so that each target gets its whole time. The corpus grows
  # across runs; the seeds are read beside it. Limits: libFuzzer's 2048 MB of RSS, no single allocation
  # above that, FUZZ_TIMEOUT for one input.
  "$binary" "$corpus" "$seeds/$target" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout="$FUZZ_TIMEOUT" \
    -artifact_prefix="$artifacts/" >"$log" 2>&1
  status=$?
  # The last status line reads "#RUNS: cov: ... time: SECONDSs ...": the rate is over the whole run.
  last=$(grep -E '^#[0-9]+: ' "$log" | tail -1)
  runs=$(sed -n 's/^#\([0-9]*\):.*/\1/p' <<<"$last")
  took=$(sed -n 's/.* time: \([0-9]*\)s.*/\1/p' <<<"$last")
  rate=$([[ -n $runs && ${took:-0} -gt 0 ]] && echo $((runs / took)))
  ours=0
  upstream=0
  unreproduced=0
  for artifact in "$artifacts"/*; do
    [[ -e $artifact ]] || continue
    verdict=$(/usr/bin/python3 "$here/triage.py" "$binary" "$artifact")
    case $? in
      0) upstream=$((upstream + 1)) ;;
      2) unreproduced=$((unreproduced + 1)) ;;
      *) ours=$((ours + 1)) ;;
    esac
    echo "  $(basename "$artifact"): $verdict"
  done
  result=ok
  [[ $upstream -gt 0 ]] && result+=", $upstream in system libraries"
  [[ $unreproduced -gt 0 ]] && result+=", $unreproduced not reproduced alone"
  # libFuzzer's fork mode exits 1 after ignored findings too: its status counts only when it left none.
  if [[ $ours -gt 0 || ($status -ne 0 && $((ours + upstream + unreproduced)) -eq 0) ]]; then
    result="FAILED: $ours finding(s) in featpipe, libFuzzer exit $status"
    failed+=("$target")
  fi
  summary+=("$(printf '%-18s %9s runs %7s exec/s  %s' "$target" "${runs:-?}" "${rate:-?}" "$result")")
done

echo
echo "fuzz: ${seconds}s per target"
printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: findings in ${failed[*]}; reproduce with BINARY ARTIFACT, see $build/fuzz/" >&2
  exit 1
fi
