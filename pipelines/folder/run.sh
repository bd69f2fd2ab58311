#!/usr/bin/env bash
# An image folder (DIR/train/<class>/*, DIR/test/<class>/*, any format OpenCV reads), resized to a common
# size: raw pixels against the engineered pipelines (lib/recipe.sh). --stage N resumes, up-to-date
# outputs are skipped (a stage whose options or inputs changed reruns), --fast runs on a small seeded
# subset. SIZE sets --resize (default: the experiment's config, else 64x64). Outputs: exp/<folder name>/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage_extra="DIR [SIZE]   (DIR/train/<class>/*, DIR/test/<class>/*; SIZE as WxH, default 64x64)"
. "$here/../lib/stages.sh"
parse_stage_args 1 2 "$@"

data="folder:${extra_args[0]}"
given[data]=$data
[[ ${#extra_args[@]} -eq 2 ]] && given[resize]=${extra_args[1]}
exp=${EXP:-exp/$(basename "${extra_args[0]}")}
title="$(basename "${extra_args[0]}"): raw pixels vs engineered features"
val=0.1 epochs=10 subset='' resize=64x64 seed=0
dsift="dsift(step=4,size=4:6:8)" bow_k=256 bow_pyramid=1:2
patch="patch(size=6,stride=2,norm=1)" tri_k=400 tri_pyramid=2
fv_k=64 fv_pca=64 fv_pyramid=1
if (( fast )); then
  exp=${EXP:-exp/$(basename "${extra_args[0]}")-fast}
  epochs=5 subset=2000 bow_k=32 tri_k=50 fv_k=16
fi
. "$here/../lib/recipe.sh"
