#!/usr/bin/env bash
# CIFAR-10 (the official binary batches in DIR): raw pixels against the engineered pipelines
# (lib/recipe.sh). --stage N resumes, up-to-date outputs are skipped (a stage whose options or inputs
# changed reruns), --fast runs on a small seeded subset. Outputs: exp/cifar10/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage_extra="DIR   (DIR holds data_batch_1..5.bin, test_batch.bin, batches.meta.txt)"
. "$here/../lib/stages.sh"
parse_stage_args 1 1 "$@"

data="cifar10:${extra_args[0]}"
given[data]=$data
exp=${EXP:-exp/cifar10}
title="CIFAR-10: raw pixels vs engineered features"
val=5000 epochs=10 subset='' resize='' seed=0
dsift="dsift(step=4,size=4:6:8)" bow_k=512 bow_pyramid=1:2
patch="patch(size=6,stride=2,norm=1)" tri_k=800 tri_pyramid=2
fv_k=64 fv_pca=64 fv_pyramid=1
if (( fast )); then
  exp=${EXP:-exp/cifar10-fast}
  val=0.1 epochs=5 subset=2000 bow_k=64 tri_k=100 fv_k=16
fi
. "$here/../lib/recipe.sh"
