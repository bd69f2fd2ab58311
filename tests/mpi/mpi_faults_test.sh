#!/usr/bin/env bash
# A rank that fails ends the whole job with a non-zero exit naming the rank and the cause, and leaves no
# finished-looking store: a rank killed with SIGKILL in the middle of extract, and a rank that meets an
# unreadable image. A rerun then writes the store.
#   mpi_faults_test.sh FEATPIPE MPIEXEC
set -uo pipefail
featpipe=${1:?usage: mpi_faults_test.sh FEATPIPE MPIEXEC}
mpiexec=${2:?usage: mpi_faults_test.sh FEATPIPE MPIEXEC}
source "$(dirname "$0")/mpi_env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# Killed: rank 1 is killed once its shard is being written (its temporary file names its process).
data='synthetic:shapes(classes=3,size=64,train=30000,test=6)'
ranks 2 "$featpipe" extract --data "$data" --features 'hog(cell=4)' --block 64 --out f.h5 -q >out.txt 2>&1 &
job=$!
pid=
for _ in $(seq 600); do
  temporary=$(ls f.h5.shards/rank-1.h5.tmp-* 2>/dev/null | head -1)
  [[ -n $temporary ]] && pid=${temporary##*.tmp-} && break
  sleep 0.1
done
[[ -n $pid ]] || fail "rank 1 never started its shard: $(cat out.txt)"
kill -KILL "$pid"
wait "$job"
status=$?
[[ $status -ne 0 ]] || fail "the job exited 0 after a rank was killed"
grep -q 'rank 1 .*exited on signal 9 (Killed)' out.txt || fail "no rank and cause: $(cat out.txt)"
[[ ! -e f.h5 ]] || fail "a killed job left f.h5"
echo "ok: a killed rank ends the job (exit $status, \"$(grep -o 'rank 1 .*exited on signal 9 (Killed)' out.txt)\")"

# Failed: an image only the second rank reads cannot be decoded.
/usr/bin/python3 - <<'PY' || fail "cannot write the image folder"
import os, numpy as np, cv2
for split in ("train", "test"):
    for c in ("a", "b"):
        os.makedirs(f"images/{split}/{c}", exist_ok=True)
        for i in range(8):
            cv2.imwrite(f"images/{split}/{c}/{i}.png", np.full((16, 16, 3), 40 * i, np.uint8))
open("images/train/b/7.png", "wb").write(b"not a png")
PY
ranks 2 "$featpipe" extract --data folder:images --features raw --block 4 --out g.h5 -q >out.txt 2>&1
status=$?
[[ $status -eq 2 ]] || fail "a bad image on one rank: exit $status, not 2: $(cat out.txt)"
grep -q 'b/7.png' out.txt || fail "the bad image is not named: $(cat out.txt)"
grep -q 'featpipe: rank 1 of 2 failed (exit 2); ending the job' out.txt || fail "no failed rank: $(cat out.txt)"
[[ ! -e g.h5 ]] || fail "a failed job left g.h5"
echo "ok: a rank's bad image ends the job (exit 2) naming the image and the rank"

# The rerun (the image replaced) writes the store.
cp images/train/b/6.png images/train/b/7.png
ranks 2 "$featpipe" extract --data folder:images --features raw --block 4 --out g.h5 -q ||
  fail "the rerun exited $?"
[[ $("$featpipe" inspect g.h5 | grep -c '^  g.h5.shards/rank-') == 2 ]] || fail "rerun: $("$featpipe" inspect g.h5)"
echo "ok: the rerun writes the store"
