#!/usr/bin/env bash
# extract, descriptors and encode (every encoding) under mpiexec -n 1, 2 and 4 write stores whose arrays are
# byte for byte those of the serial run: a plain store for one rank, a store of virtual datasets over
# F.h5.shards/rank-R.h5 for more, read as one store by h5py, h5dump and featpipe; `featpipe merge` copies
# one into a plain file; a missing shard is refused by name, never read as zeros.
#   mpi_sharded_stores_test.sh FEATPIPE MPIEXEC
set -uo pipefail
featpipe=${1:?usage: mpi_sharded_stores_test.sh FEATPIPE MPIEXEC}
mpiexec=${2:?usage: mpi_sharded_stores_test.sh FEATPIPE MPIEXEC}
source "$(dirname "$0")/mpi_env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

data='synthetic:shapes(classes=3,size=24,train=45,test=6)'
# --block 4: 12 blocks of images, so that 4 ranks get 3 each and the last rank's share is short.
serial() { "$featpipe" "$@" -q || fail "serial featpipe $* exited $?"; }
on_ranks() {
  local n=$1
  shift
  ranks "$n" "$featpipe" "$@" -q || fail "mpiexec -n $n featpipe $* exited $?"
}
same() { $same_arrays "$1" "$2" >/dev/null || fail "$2 differs from $1: $($same_arrays "$1" "$2")"; }

# stage NAME ARGS...: the stage serially into NAME.h5, then on 1, 2 and 4 ranks into NAME-nR.h5.
stage() {
  local name=$1
  shift
  serial "$@" --out "$name.h5"
  for n in 1 2 4; do
    on_ranks "$n" "$@" --out "$name-n$n.h5"
    same "$name.h5" "$name-n$n.h5"
  done
  [[ ! -d "$name-n1.h5.shards" ]] || fail "one rank wrote shards for $name"
  [[ $(ls "$name-n4.h5.shards") == $'rank-0.h5\nrank-1.h5\nrank-2.h5\nrank-3.h5' ]] ||
    fail "the shards of $name-n4.h5: $(ls "$name-n4.h5.shards")"
  echo "ok: $name on 1, 2 and 4 ranks"
}

stage features extract --data "$data" --features 'hog(cell=4)+huehist' --block 4
stage descriptors descriptors --data "$data" --descriptor 'dsift(step=4,size=4)' --sample 2000 --block 4
serial vocab --descriptors descriptors.h5 --k 8 --out words.h5
serial vocab --descriptors descriptors.h5 --k 4 --method gmm --out gmm.h5
for encoding in bow soft vlad triangle; do
  stage "$encoding" encode --data "$data" --vocab words.h5 --encoding "$encoding" --pyramid 1:2 --block 4
done
stage fisher encode --data "$data" --vocab gmm.h5 --encoding fisher --pyramid 1:2 --block 4
# --augment flip: 90 rows of images and their mirrors shared in blocks of 4 rows; a 3x1 pyramid level.
stage flipped extract --data "$data" --features 'hog(cell=4)+huehist(pyramid=1:2:3x1)' --augment flip --block 4
stage fisher-flipped encode --data "$data" --vocab gmm.h5 --encoding fisher --pyramid 1:2:3x1 --augment flip \
  --block 4
stage bow-max encode --data "$data" --vocab words.h5 --encoding bow --pool max --kernel-map chi2 --block 4

# The sharded store is one store for HDF5's own tool, featpipe's readers and stages that take it.
h5dump -d /labels features-n4.h5 >h5dump.txt || fail "h5dump of the sharded store exited $?"
grep -q 'DATASPACE  SIMPLE { ( 45 ) / ( 45 ) }' h5dump.txt || fail "h5dump: $(head -20 h5dump.txt)"
"$featpipe" inspect features-n4.h5 >inspect.txt || fail "inspect of the sharded store exited $?"
grep -q '^shards: 4 ' inspect.txt || fail "inspect shows no shards: $(cat inspect.txt)"
grep -q '^  features-n4.h5.shards/rank-3.h5  rows 36 to 44 (9)$' inspect.txt || fail "inspect: $(cat inspect.txt)"
serial train --train features.h5 --epochs 3 --out model.h5 2>/dev/null
serial train --train features-n4.h5 --epochs 3 --out model-n4.h5 2>/dev/null
same model.h5 model-n4.h5
serial verify features-n4.h5 >/dev/null

# merge: one plain file with the same arrays.
serial merge features-n4.h5 --out merged.h5
same features.h5 merged.h5
"$featpipe" inspect merged.h5 | grep -q '^shards:' && fail "the merged store still has shards"

# A rerun on fewer ranks replaces the store and removes the shards it no longer has.
on_ranks 2 extract --data "$data" --features 'hog(cell=4)+huehist' --block 4 --out features-n4.h5
same features.h5 features-n4.h5
[[ $(ls features-n4.h5.shards) == $'rank-0.h5\nrank-1.h5' ]] || fail "shards left: $(ls features-n4.h5.shards)"

# A missing shard is an error naming it, never rows of zeros.
mv features-n4.h5.shards/rank-1.h5 away.h5
"$featpipe" train --train features-n4.h5 --out never.h5 -q 2>err.txt
status=$?
[[ $status -eq 2 ]] || fail "train on a store missing a shard exited $status, not 2"
grep -q 'features-n4.h5: /.* from .*features-n4.h5.shards/rank-1.h5, which is missing' err.txt ||
  fail "missing shard: $(cat err.txt)"
[[ ! -e never.h5 ]] || fail "a model was written from a store missing a shard"
# h5py reads a missing shard's rows as the fill value: NaN features and label -1, never zeros.
/usr/bin/python3 -c "
import h5py, numpy as np
f = h5py.File('features-n4.h5', 'r')
assert np.isnan(f['features'][30]).all(), f['features'][30][:4]
assert f['labels'][30] == -1, f['labels'][30]
" || fail "h5py reads a missing shard as something else than NaN / -1"
echo "ok: h5dump, inspect, train, verify and merge read sharded stores; a missing shard is refused"
