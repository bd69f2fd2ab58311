#!/usr/bin/env bash
# Fashion-MNIST recipe: numbered stages, each a plain featpipe call; --stage N resumes at stage N and
# finished outputs (written atomically) are skipped on a rerun. Everything lands in exp/fashion-mnist/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage_extra=""
. "$here/../lib/stages.sh"
parse_stage_args "$@"

data=fashion-mnist
exp=${EXP:-exp/fashion-mnist}
val=5000
epochs=10
if (( fast )); then
  data="fashion-mnist"
  val=1000
  epochs=3
fi
mkdir -p "$exp"
fp() { "$FEATPIPE" "$@"; }

# 1-3: raw pixels, the baseline every engineered feature is compared against.
stage 1 "$exp/raw_train.h5" -- fp extract --data $data --split train --val-size $val --features raw --out "$exp/raw_train.h5"
stage 2 "$exp/raw_val.h5"   -- fp extract --data $data --split val   --val-size $val --features raw --out "$exp/raw_val.h5"
stage 3 "$exp/raw_test.h5"  -- fp extract --data $data --split test  --features raw --out "$exp/raw_test.h5"

# 4-5: linear classifiers on raw pixels.
stage 4 "$exp/raw_softmax.h5" -- fp train --train "$exp/raw_train.h5" --val "$exp/raw_val.h5" --loss softmax \
  --reg l2 --lambda 1e-4 --optimizer adam --lr 1e-3 --epochs $epochs --batch 256 --out "$exp/raw_softmax.h5"
stage 5 "$exp/raw_svm.h5" -- fp train --train "$exp/raw_train.h5" --val "$exp/raw_val.h5" --loss svm \
  --reg l2 --lambda 1e-4 --optimizer adam --lr 1e-3 --epochs $epochs --batch 256 --out "$exp/raw_svm.h5"

# 6: test accuracy of every model.
if (( start_stage <= 6 )); then
  for model in raw_softmax raw_svm; do
    echo "== $model"
    fp eval --model "$exp/$model.h5" --data "$exp/raw_test.h5"
  done
fi
