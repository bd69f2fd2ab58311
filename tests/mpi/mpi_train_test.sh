#!/usr/bin/env bash
# `featpipe train` and `featpipe sweep` under mpiexec: the model stores of 1, 2, 3 and 4 ranks hold the same
# datasets, byte for byte, as the serial run's (train with minibatches of four blocks and a last one of
# one, float and byte rows; sweep with its runs spread over the ranks); ranks other than 0 print nothing;
# and a checkpoint left by an interrupted 2-rank run, resumed alone or on 4 ranks, ends with the model of
# the uninterrupted serial run.
#   mpi_train_test.sh FEATPIPE MPIEXEC
set -uo pipefail
featpipe=${1:?usage: mpi_train_test.sh FEATPIPE MPIEXEC}
mpiexec=${2:?usage: mpi_train_test.sh FEATPIPE MPIEXEC}
source "$(dirname "${BASH_SOURCE[0]}")/mpi_env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# same STORE_A STORE_B WHAT: fails unless the stores hold the same datasets with the same bytes.
same() {
  $same_arrays "$1" "$2" >"$work/same.out" || fail "$3: $(cat "$work/same.out")"
}

data='synthetic:shapes(classes=3,size=16,train=600,test=60)'
for split in train test; do
  "$featpipe" extract --data "$data" --split $split --features 'hog(cell=4)' --out "$work/$split.h5" -q ||
    fail "extract $split exited $?"
done
"$featpipe" extract --data "$data" --split train --features raw --out "$work/raw.h5" -q || fail "extract raw exited $?"

# 600 rows in minibatches of 512 (four blocks of 128 rows) and 88 (one block): a job of 4 ranks gives each
# a block, then leaves three idle; dropout masks stay the blocks'.
train=(train --train "$work/train.h5" --val "$work/test.h5" --batch 512 --epochs 4 --dropout 0.1 --seed 3)
"$featpipe" "${train[@]}" --out "$work/train_1.h5" >"$work/serial.out" || fail "train exited $?"
for n in 1 2 4; do
  ranks $n "$featpipe" "${train[@]}" --out "$work/train_n$n.h5" >"$work/ranks.out" ||
    fail "mpiexec -n $n featpipe train exited $?"
  same "$work/train_1.h5" "$work/train_n$n.h5" "train on $n ranks"
done
[[ $(wc -l <"$work/ranks.out") == $(wc -l <"$work/serial.out") ]] ||
  fail "4 ranks printed more than the serial run (only rank 0 reports): $(cat "$work/ranks.out")"

# byte rows (raw pixels), svm with momentum
raw=(train --train "$work/raw.h5" --loss svm --optimizer momentum --lr 0.01 --batch 384 --epochs 3)
"$featpipe" "${raw[@]}" --out "$work/raw_1.h5" >"$work/raw.out" || fail "train on bytes exited $?"
grep -q 'held as bytes' "$work/raw.out" || fail "the raw rows were not held as bytes: $(cat "$work/raw.out")"
ranks 3 "$featpipe" "${raw[@]}" -q --out "$work/raw_n3.h5" >/dev/null || fail "mpiexec -n 3 train on bytes exited $?"
same "$work/raw_1.h5" "$work/raw_n3.h5" "train on bytes on 3 ranks"

# fused stores (HOG and raw pixels of the same images side by side), train and sweep on 2 ranks
fused=(--train "$work/train.h5" --train "$work/raw.h5" --epochs 2 --batch 256)
"$featpipe" train "${fused[@]}" -q --out "$work/fused_1.h5" || fail "fused train exited $?"
ranks 2 "$featpipe" train "${fused[@]}" -q --out "$work/fused_n2.h5" >/dev/null || fail "mpiexec -n 2 fused train exited $?"
same "$work/fused_1.h5" "$work/fused_n2.h5" "fused train on 2 ranks"
fused_sweep=(sweep "${fused[@]}" --val "$work/train.h5" --val "$work/raw.h5" --allow-overlap --steps 2)
"$featpipe" "${fused_sweep[@]}" -q --out "$work/fused_sweep_1.h5" || fail "fused sweep exited $?"
ranks 2 "$featpipe" "${fused_sweep[@]}" -q --out "$work/fused_sweep_n2.h5" >/dev/null ||
  fail "mpiexec -n 2 fused sweep exited $?"
same "$work/fused_sweep_1.h5" "$work/fused_sweep_n2.h5" "fused sweep on 2 ranks"

# 9 runs: 5 and 4 on two ranks, 3, 2, 2, 2 on four
sweep=(sweep --train "$work/train.h5" --val "$work/test.h5" --steps 3 --epochs 3 --batch 256)
"$featpipe" "${sweep[@]}" --out "$work/sweep_1.h5" >"$work/sweep.out" || fail "sweep exited $?"
for n in 1 2 4; do
  ranks $n "$featpipe" "${sweep[@]}" --out "$work/sweep_n$n.h5" >"$work/sweep_ranks.out" ||
    fail "mpiexec -n $n featpipe sweep exited $?"
  same "$work/sweep_1.h5" "$work/sweep_n$n.h5" "sweep on $n ranks"
  # the same table (the seconds aside), once
  table() { awk '$1 ~ /^[0-9]+$/ { $NF = ""; print }' "$1"; }
  [[ $(table "$work/sweep.out") == $(table "$work/sweep_ranks.out") ]] ||
    fail "sweep on $n ranks printed another table: $(cat "$work/sweep_ranks.out")"
done

# A 2-rank run stopped after its first checkpoint (rank 0 writes it), resumed alone and on 4 ranks.
long=(train --train "$work/train.h5" --val "$work/test.h5" --batch 512 --epochs 3000 --checkpoint-every 5)
"$featpipe" "${long[@]}" -q --out "$work/long_1.h5" >/dev/null || fail "the long serial train exited $?"
checkpoint="$work/long_n2.h5.checkpoint"
ranks 2 "$featpipe" "${long[@]}" -q --out "$work/long_n2.h5" >/dev/null 2>"$work/stopped.err" &
job=$!
for ((i = 0; i < 3000; ++i)); do
  [[ -e $checkpoint ]] || ! kill -0 $job 2>/dev/null && break
  sleep 0.01
done
[[ -e $checkpoint ]] || fail "the 2-rank run wrote no checkpoint: $(cat "$work/stopped.err")"
kill -TERM $job
wait $job
[[ ! -e $work/long_n2.h5 ]] || fail "the 2-rank run ended before it was stopped; give it more epochs"
cp "$checkpoint" "$work/kept.checkpoint"
"$featpipe" "${long[@]}" --resume --out "$work/long_n2.h5" >"$work/resumed.out" || fail "the serial resume exited $?"
grep -q '^resuming from .* after epoch' "$work/resumed.out" || fail "no resume: $(cat "$work/resumed.out")"
same "$work/long_1.h5" "$work/long_n2.h5" "a 2-rank checkpoint resumed alone"
cp "$work/kept.checkpoint" "$work/long_n4.h5.checkpoint"
ranks 4 "$featpipe" "${long[@]}" -q --resume --out "$work/long_n4.h5" >/dev/null || fail "the 4-rank resume exited $?"
same "$work/long_1.h5" "$work/long_n4.h5" "a 2-rank checkpoint resumed on 4 ranks"
[[ ! -e $work/long_n4.h5.checkpoint ]] || fail "the model did not supersede the checkpoint"
echo "ok: train on 1, 2, 3, 4 ranks, sweep on 1, 2 and 4, a 2-rank checkpoint resumed alone and on 4: same arrays"
