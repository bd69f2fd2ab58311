# The five compared pipelines as numbered stages, sourced by pipelines/<dataset>/run.sh after it sets:
#   data      dataset spec             exp     experiment folder
#   val       --val-size               subset  --subset N for --fast, or empty
#   epochs    least training epochs    resize  --resize WxH for image folders, or empty
#   seed      --seed                   title   report title
#   dsift     dense SIFT descriptor spec;  patch   patch descriptor spec
#   bow_k / tri_k / fv_k  vocabulary sizes; bow_pyramid / tri_pyramid / fv_pyramid  pyramids
#   fv_pca    principal components the Fisher-vector pipeline keeps of dense SIFT
# data, val, subset, seed and resize are the experiment's shared options (lib/recipe_config.sh: kept in
# $exp/config). Each stage is a plain featpipe call, the heavy ones through the launcher (`heavy`,
# --launcher); see lib/stages.sh for --stage and the skipping of up-to-date outputs.

mkdir -p "$exp"
recipe_config
subset_opt=() resize_opt=()
[[ -n $subset ]] && subset_opt=(--subset "$subset")
[[ -n $resize ]] && resize_opt=(--resize "$resize")
fp() { "$FEATPIPE" "$@"; }

# sweep_schedule STORE: sets sweep_batch and sweep_epochs for the training store's N rows, once: batch
# clamp(N / 16, 16, 256), so that a small set still takes several updates an epoch, and epochs enough for
# 500 updates a model (a few hundred are what SGD needs to come near a linear model's optimum; fewer ranked
# a folder's pipelines wrongly), at least the recipe's and at most 200. --epochs and --batch override.
sweep_schedule() {
  [[ -n ${sweep_batch:-} || ! -f $1 ]] && return 0
  local rows per_epoch
  rows=$("$FEATPIPE" inspect "$1" | awk '$1 == "/labels" { gsub(/[][]/, "", $3); print $3 }')
  if [[ ! $rows =~ ^[1-9][0-9]*$ ]]; then
    echo "sweeps: the rows of $1 could not be read from featpipe inspect; the recipe's batch 256, $epochs epochs"
    rows=0 sweep_batch=256 sweep_epochs=$epochs
  else
    sweep_batch=$(( rows / 16 < 16 ? 16 : (rows / 16 > 256 ? 256 : rows / 16) ))
    per_epoch=$(( (rows + sweep_batch - 1) / sweep_batch ))
    sweep_epochs=$(( (500 + per_epoch - 1) / per_epoch ))
    (( sweep_epochs < epochs )) && sweep_epochs=$epochs
    (( sweep_epochs > 200 )) && sweep_epochs=200
  fi
  sweep_batch=${given[batch]:-$sweep_batch}
  sweep_epochs=${given[epochs]:-$sweep_epochs}
  per_epoch=$(( (rows + sweep_batch - 1) / sweep_batch ))
  echo "sweeps: $rows training rows: batch $sweep_batch, $sweep_epochs epochs ($((sweep_epochs * per_epoch))" \
    "updates a model)${given[epochs]:+, --epochs given}${given[batch]:+, --batch given}"
}
# Every split of one feature spec: train and val from the training set, test from the test set.
splits() {  # FIRST-STAGE NAME COMMAND-AND-OPTIONS...
  local first=$1 name=$2
  shift 2
  stage $first "$exp/${name}_train.h5" -- heavy "$@" --data "$data" "${resize_opt[@]}" --val-size "$val" \
    "${subset_opt[@]}" --seed "$seed" --split train --out "$exp/${name}_train.h5"
  stage $((first + 1)) "$exp/${name}_val.h5" -- heavy "$@" --data "$data" "${resize_opt[@]}" --val-size "$val" \
    --seed "$seed" --split val --out "$exp/${name}_val.h5"
  stage $((first + 2)) "$exp/${name}_test.h5" -- heavy "$@" --data "$data" "${resize_opt[@]}" "${subset_opt[@]}" \
    --seed "$seed" --split test --out "$exp/${name}_test.h5"
}
sweep() {  # STAGE MODEL LOSS LR-RANGE LAMBDA-RANGE [EPOCH-FACTOR] (features: MODEL up to its last '_')
  sweep_schedule "$exp/${2%_*}_train.h5"
  stage $1 "$exp/$2.h5" -- heavy sweep --train "$exp/${2%_*}_train.h5" --val "$exp/${2%_*}_val.h5" --loss $3 \
    --lr-range $4 --lambda-range $5 --steps 3 --epochs $(( ${6:-1} * ${sweep_epochs:-$epochs} )) \
    --batch ${sweep_batch:-256} --seed "$seed" --out "$exp/$2.h5"
}
descriptors() {  # STAGE NAME DESCRIPTOR
  stage $1 "$exp/$2_desc.h5" -- heavy descriptors --data "$data" "${resize_opt[@]}" --val-size "$val" \
    "${subset_opt[@]}" --seed "$seed" --split train --descriptor "$3" --sample 200000 --out "$exp/$2_desc.h5"
}

# Pipeline 1 (baseline): raw pixels + softmax and + linear SVM.
splits 1 raw extract --features raw
sweep 4 raw_softmax softmax 3e-4:3e-3 1e-5:1e-3
sweep 5 raw_svm svm 3e-4:3e-3 1e-5:1e-3

# Pipeline 2 (CS231n-style): HOG + hue histogram + linear SVM.
splits 6 hoghue extract --features "hog(cell=4,variant=uoctti)+huehist(bins=12)"
# A few thousand dimensions train in about a second an epoch, so these get twice the epochs.
sweep 9 hoghue_svm svm 3e-4:3e-3 1e-5:1e-3 2

# Pipeline 2b: the same HOG + hue vector concatenated with the raw pixels ("engineer features and
# concatenate them into large vectors").
splits 10 hograw extract --features "hog(cell=4,variant=uoctti)+huehist(bins=12)+raw"
sweep 13 hograw_svm svm 3e-4:3e-3 1e-5:1e-3 2

# Pipeline 3 (PHOW-style): dense SIFT, a k-means vocabulary, bag of words over a spatial pyramid, chi2
# homogeneous kernel map, linear SVM.
descriptors 14 dsift "$dsift"
stage 15 "$exp/dsift_vocab.h5" -- heavy vocab --descriptors "$exp/dsift_desc.h5" --k $bow_k --iterations 20 \
  --seed "$seed" --out "$exp/dsift_vocab.h5"
splits 16 bow encode --vocab "$exp/dsift_vocab.h5" --encoding bow --pyramid $bow_pyramid --norm hellinger \
  --kernel-map chi2
sweep 19 bow_svm svm 1e-4:1e-3 1e-5:1e-3

# Pipeline 4 (Coates-Lee-Ng): small patches, ZCA, k-means, triangle encoding pooled over quadrants,
# linear SVM.
descriptors 20 patch "$patch"
stage 21 "$exp/patch_vocab.h5" -- heavy vocab --descriptors "$exp/patch_desc.h5" --k $tri_k --whiten zca \
  --iterations 20 --seed "$seed" --out "$exp/patch_vocab.h5"
splits 22 triangle encode --vocab "$exp/patch_vocab.h5" --encoding triangle --pyramid $tri_pyramid --pool sum
sweep 25 triangle_svm svm 1e-4:1e-3 1e-5:1e-3

# Pipeline 5 (Chatfield et al., "The devil is in the details", BMVC 2011): the same dense SIFT sample
# reduced by PCA, a diagonal GMM, improved Fisher vectors (power + L2 norm per cell) over a spatial pyramid,
# linear SVM.
stage 26 "$exp/fv_vocab.h5" -- heavy vocab --descriptors "$exp/dsift_desc.h5" --pca $fv_pca --method gmm \
  --k $fv_k --iterations 20 --seed "$seed" --out "$exp/fv_vocab.h5"
splits 27 fv encode --vocab "$exp/fv_vocab.h5" --encoding fisher --pyramid $fv_pyramid --norm power+l2
sweep 30 fv_svm svm 1e-4:1e-3 1e-5:1e-3

# 31: the report (table + plots) over every model, each on its own test store.
models=("$exp/raw_softmax.h5" "$exp/raw_svm.h5" "$exp/hoghue_svm.h5" "$exp/hograw_svm.h5" "$exp/bow_svm.h5"
  "$exp/triangle_svm.h5" "$exp/fv_svm.h5")
tests=("$exp/raw_test.h5" "$exp/raw_test.h5" "$exp/hoghue_test.h5" "$exp/hograw_test.h5" "$exp/bow_test.h5"
  "$exp/triangle_test.h5" "$exp/fv_test.h5")
stage 31 "$exp/report/report.html" -- fp compare "${models[@]}" --test "${tests[@]}" --title "$title" \
  --out "$exp/report"
if [[ -e $exp/report/report.html ]]; then
  echo
  fp compare "${models[@]}" --test "${tests[@]}" --title "$title" --out "$exp/report" --no-plots
  echo "report: $exp/report/report.html"
fi
