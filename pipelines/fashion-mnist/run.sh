#!/usr/bin/env bash
# Fashion-MNIST: raw pixels against the engineered pipelines (lib/recipe.sh), each a linear classifier
# whose hyperparameters come from a sweep on the validation split. --stage N resumes at stage N, up-to-date
# outputs are skipped on a rerun (a stage whose options or inputs changed reruns), and --fast runs on a
# small seeded subset. Outputs: exp/fashion-mnist/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage_extra=""
. "$here/../lib/stages.sh"
parse_stage_args 0 0 "$@"

data=fashion-mnist
exp=${EXP:-exp/fashion-mnist}
title="Fashion-MNIST: raw pixels vs engineered features"
val=5000 epochs=10 subset='' resize='' seed=0
dsift="dsift(step=2,size=4)" bow_k=512 bow_pyramid=1:2
patch="patch(size=5,stride=1,norm=1)" tri_k=1600 tri_pyramid=2
fv_k=64 fv_pca=64 fv_pyramid=1
# gamma: 1 / the median squared distance between the HOG vectors of Fashion-MNIST images (about 34).
rbf_gamma=0.03 rbf_dim=4096
if (( fast )); then
  exp=${EXP:-exp/fashion-mnist-fast}
  val=500 epochs=5 subset=3000 fv_k=32
fi
. "$here/../lib/recipe.sh"
