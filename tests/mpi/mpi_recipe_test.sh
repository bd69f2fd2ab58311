#!/usr/bin/env bash
# The Fashion-MNIST recipe (--fast) run serially and with --launcher "mpiexec -n 2": every store and model
# of the two runs holds the same arrays, and the report prints the same numbers.
#   mpi_recipe_test.sh FEATPIPE MPIEXEC SOURCE_DIR
set -uo pipefail
featpipe=${1:?usage: mpi_recipe_test.sh FEATPIPE MPIEXEC SOURCE_DIR}
mpiexec=${2:?usage: mpi_recipe_test.sh FEATPIPE MPIEXEC SOURCE_DIR}
source_dir=${3:?usage: mpi_recipe_test.sh FEATPIPE MPIEXEC SOURCE_DIR}
source "$(dirname "$0")/mpi_env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FEATPIPE=$featpipe
recipe=$source_dir/pipelines/fashion-mnist/run.sh

"$recipe" --fast --exp "$work/serial" >"$work/serial.log" 2>&1 || fail "the serial recipe exited $?: $(tail -20 "$work/serial.log")"
"$recipe" --fast --exp "$work/ranks" --launcher "$mpiexec --oversubscribe -n 2" >"$work/ranks.log" 2>&1 ||
  fail "the recipe on 2 ranks exited $?: $(tail -20 "$work/ranks.log")"

# The heavy stages ran on two ranks: the feature stores are sharded.
"$featpipe" inspect "$work/ranks/hoghue_train.h5" | grep -q '^shards: 2 ' ||
  fail "hoghue_train.h5 of the 2-rank run is not sharded: $("$featpipe" inspect "$work/ranks/hoghue_train.h5" | head)"
stores=0
for store in "$work"/serial/*.h5; do
  name=$(basename "$store")
  [[ -e "$work/ranks/$name" ]] || fail "the 2-rank run has no $name"
  $same_arrays "$store" "$work/ranks/$name" >/dev/null || fail "$name: $($same_arrays "$store" "$work/ranks/$name")"
  stores=$((stores + 1))
done
[[ $stores -ge 20 ]] || fail "only $stores stores were compared"
# The report's table (the last lines each run printed, after "stage 36"): each model's pipeline, features,
# dim, validation and test accuracy, gain, McNemar p-value and noise mark, without the extraction and
# training times (the compare warnings on stderr start with "featpipe"); the first of its tables only, up to
# the blank line before the encodings table, whose last column is a time too.
table() {
  sed -n '/^stage 36: done/,$p' "$1" |
    awk 'NF == 0 { if (seen) exit; next } $1 == "pipeline" { seen = 1 }
      NF >= 9 && $1 != "pipeline" && $1 != "featpipe" { $4 = ""; $5 = ""; print }'
}
serial=$(table "$work/serial.log")
ranks=$(table "$work/ranks.log")
[[ -n $serial && $serial == "$ranks" ]] || fail "the reports differ:
$serial
---
$ranks"
echo "ok: the Fashion-MNIST recipe on 2 ranks wrote the serial run's $stores stores and report numbers"
echo "$serial"
