#!/usr/bin/env bash
# Fashion-MNIST recipe: raw pixels against three engineered pipelines, each a linear classifier whose
# hyperparameters come from a sweep on the validation split. Numbered stages, each a plain featpipe call;
# --stage N resumes at stage N, finished outputs (written atomically) are skipped on a rerun, and --fast
# runs on a small seeded subset. Everything lands in exp/fashion-mnist/ (exp/fashion-mnist-fast/).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage_extra=""
. "$here/../lib/stages.sh"
parse_stage_args "$@"

data=fashion-mnist
exp=${EXP:-exp/fashion-mnist}
val=5000
subset=()
epochs=10
if (( fast )); then
  exp=${EXP:-exp/fashion-mnist-fast}
  val=500
  subset=(--subset 3000)
  epochs=5
fi
mkdir -p "$exp"
fp() { "$FEATPIPE" "$@"; }
# Every split of one feature spec: train and val from the training set, test from the test set.
splits() {  # NAME COMMAND-AND-OPTIONS... (stage numbers come from the caller)
  local first=$1 name=$2
  shift 2
  stage $first "$exp/${name}_train.h5" -- fp "$@" --data $data --val-size $val "${subset[@]}" --split train --out "$exp/${name}_train.h5"
  stage $((first + 1)) "$exp/${name}_val.h5" -- fp "$@" --data $data --val-size $val --split val --out "$exp/${name}_val.h5"
  stage $((first + 2)) "$exp/${name}_test.h5" -- fp "$@" --data $data "${subset[@]}" --split test --out "$exp/${name}_test.h5"
}
sweep() {  # STAGE NAME LOSS LR-RANGE LAMBDA-RANGE
  stage $1 "$exp/$2.h5" -- fp sweep --train "$exp/${2%_*}_train.h5" --val "$exp/${2%_*}_val.h5" --loss $3 \
    --lr-range $4 --lambda-range $5 --steps 3 --epochs $epochs --batch 256 --out "$exp/$2.h5"
}

# Pipeline 1 (baseline): raw pixels + softmax and + linear SVM.
splits 1 raw extract --features raw
sweep 4 raw_softmax softmax 3e-4:3e-3 1e-5:1e-3
sweep 5 raw_svm svm 3e-4:3e-3 1e-5:1e-3

# Pipeline 2 (CS231n-style): HOG + hue histogram + linear SVM. (Fashion-MNIST is grey: the hue histogram
# carries no mass here, and matters on colour data such as CIFAR-10.)
splits 6 hoghue extract --features "hog(cell=4,variant=uoctti)+huehist(bins=12)"
sweep 9 hoghue_svm svm 3e-4:3e-3 1e-5:1e-3

# Pipeline 3 (PHOW-style): dense SIFT, a 512-word k-means vocabulary, bag of words over a 1:2 spatial
# pyramid, chi2 homogeneous kernel map, linear SVM.
stage 10 "$exp/dsift_desc.h5" -- fp descriptors --data $data --val-size $val "${subset[@]}" --split train \
  --descriptor "dsift(step=2,size=4)" --sample 200000 --out "$exp/dsift_desc.h5"
stage 11 "$exp/dsift_vocab.h5" -- fp vocab --descriptors "$exp/dsift_desc.h5" --k 512 --iterations 20 --out "$exp/dsift_vocab.h5"
splits 12 bow encode --vocab "$exp/dsift_vocab.h5" --encoding bow --pyramid 1:2 --norm hellinger --kernel-map chi2
sweep 15 bow_svm svm 1e-4:1e-3 1e-5:1e-3

# Pipeline 4 (Coates-Lee-Ng): 5x5 patches, ZCA, 1600-word k-means, triangle encoding pooled over quadrants,
# linear SVM.
stage 16 "$exp/patch_desc.h5" -- fp descriptors --data $data --val-size $val "${subset[@]}" --split train \
  --descriptor "patch(size=5,stride=1,norm=1)" --sample 200000 --out "$exp/patch_desc.h5"
stage 17 "$exp/patch_vocab.h5" -- fp vocab --descriptors "$exp/patch_desc.h5" --k 1600 --whiten zca --iterations 20 \
  --out "$exp/patch_vocab.h5"
splits 18 triangle encode --vocab "$exp/patch_vocab.h5" --encoding triangle --pyramid 2 --pool sum
sweep 21 triangle_svm svm 1e-4:1e-3 1e-5:1e-3

# 22: the report (table + plots) over every model, each on its own test store.
stage 22 "$exp/report/report.html" -- fp compare \
  "$exp/raw_softmax.h5" "$exp/raw_svm.h5" "$exp/hoghue_svm.h5" "$exp/bow_svm.h5" "$exp/triangle_svm.h5" \
  --test "$exp/raw_test.h5" "$exp/raw_test.h5" "$exp/hoghue_test.h5" "$exp/bow_test.h5" "$exp/triangle_test.h5" \
  --title "Fashion-MNIST: raw pixels vs engineered features" --out "$exp/report"
if [[ -e $exp/report/summary.json ]]; then
  fp compare "$exp/raw_softmax.h5" "$exp/raw_svm.h5" "$exp/hoghue_svm.h5" "$exp/bow_svm.h5" "$exp/triangle_svm.h5" \
    --test "$exp/raw_test.h5" "$exp/raw_test.h5" "$exp/hoghue_test.h5" "$exp/bow_test.h5" "$exp/triangle_test.h5" \
    --out "$exp/report" --no-plots --quiet
  echo "report: $exp/report/report.html"
fi
