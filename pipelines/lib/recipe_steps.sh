# The steps every recipe is made of, sourced by a recipe (lib/recipe.sh, encodings/run.sh) once it has set
# data, exp, val, subset, seed, resize and epochs (see lib/recipe.sh): the experiment folder and its shared
# options (lib/recipe_config.sh), then
#   splits FIRST NAME CMD...   the train, val and test stores of one feature spec, stages FIRST..FIRST+2
#   sweep STAGE MODEL LOSS LR LAMBDA [EPOCH-FACTOR]   a model swept on its features' train and val stores
#   fused_sweep STAGE MODEL LOSS LR LAMBDA FEATURES...   a model over several features' stores side by side
#   descriptors STAGE NAME SPEC [SAMPLE]   a descriptor sample of the train split
#   report STAGE [OPTION...]   `featpipe compare` of the models in the arrays models / tests
# Each is a plain featpipe call through `stage` (lib/stages.sh), the heavy ones through the launcher.

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
# sweep_stores STAGE MODEL LOSS LR-RANGE LAMBDA-RANGE EPOCH-FACTOR FEATURES...: MODEL swept on the train and
# val stores of FEATURES (several: their features side by side, `sweep --train A --train B ...`), on the
# first one's schedule. The grid: 3 learning rates (the most sensitive hyperparameter) by 2 lambdas, the
# ends of the ranges.
sweep_stores() {
  local n=$1 model=$2 loss=$3 lr=$4 lambda=$5 factor=$6 name stores=()
  shift 6
  for name in "$@"; do stores+=(--train "$exp/${name}_train.h5"); done
  for name in "$@"; do stores+=(--val "$exp/${name}_val.h5"); done
  sweep_schedule "$exp/$1_train.h5"
  stage $n "$exp/$model.h5" -- heavy sweep "${stores[@]}" --loss $loss --lr-range $lr --lambda-range $lambda \
    --lr-steps 3 --lambda-steps 2 --epochs $(( factor * ${sweep_epochs:-$epochs} )) \
    --batch ${sweep_batch:-256} --seed "$seed" --out "$exp/$model.h5"
}
sweep() {  # STAGE MODEL LOSS LR-RANGE LAMBDA-RANGE [EPOCH-FACTOR] (features: MODEL up to its last '_')
  sweep_stores "$1" "$2" "$3" "$4" "$5" "${6:-1}" "${2%_*}"
}
# fused_sweep STAGE MODEL LOSS LR-RANGE LAMBDA-RANGE FEATURES...: a model over several pipelines' stores of
# the same images side by side.
fused_sweep() {
  sweep_stores "$1" "$2" "$3" "$4" "$5" 1 "${@:6}"
}
# fused_tests FEATURES...: the test stores of a fused model, as one `compare --test` entry.
fused_tests() {
  local IFS=, names=("${@/#/$exp/}")
  echo "${names[*]/%/_test.h5}"
}
descriptors() {  # STAGE NAME DESCRIPTOR [SAMPLE] (descriptors kept, default 200000)
  stage $1 "$exp/$2_desc.h5" -- heavy descriptors --data "$data" "${resize_opt[@]}" --val-size "$val" \
    "${subset_opt[@]}" --seed "$seed" --split train --descriptor "$3" --sample "${4:-200000}" \
    --out "$exp/$2_desc.h5"
}
# report STAGE [COMPARE-OPTION...]: the report (table + plots) of the models in the array models, each on
# its test store in the array tests, in $exp/report; then its table printed.
report() {
  local n=$1
  shift
  stage $n "$exp/report/report.html" -- fp compare "${models[@]}" --test "${tests[@]}" --title "$title" "$@" \
    --out "$exp/report"
  if [[ -e $exp/report/report.html ]]; then
    echo
    fp compare "${models[@]}" --test "${tests[@]}" --title "$title" "$@" --out "$exp/report" --no-plots
    echo "report: $exp/report/report.html"
  fi
}
