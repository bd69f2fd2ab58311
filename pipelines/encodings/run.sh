#!/usr/bin/env bash
# The encodings comparison of Chatfield, Lempitsky, Vedaldi & Zisserman ("The devil is in the details: an
# evaluation of recent feature encoding methods", BMVC 2011) on any dataset featpipe reads: ONE dense SIFT
# sample of the train split, ONE k-means vocabulary for hard (bow), soft (kernel codebook) and LLC
# assignment, a PCA + diagonal GMM vocabulary for Fisher vectors, and VLAD; each encoding with its usual
# normalisation, a linear SVM swept on the validation split with the same protocol for all, and one table
# (method, K, dimension, normalisation / pooling, val and test accuracy, encode time) in the report.
# --stage N resumes, up-to-date outputs are skipped (a stage whose options or inputs changed reruns),
# --fast runs on a small seeded subset. Outputs: exp/encodings-<dataset>[-fast]/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage_extra="DATASET   (a dataset spec: fashion-mnist, mnist:DIR, cifar10:DIR, folder:DIR, synthetic:shapes...)"
. "$here/../lib/stages.sh"
parse_stage_args 1 1 "$@"

data=${extra_args[0]}
given[data]=$data
kind=${data%%:*}
name=$kind
[[ $data == *:* ]] && name=$kind-$(basename "${data#*:}")
exp=${EXP:-exp/encodings-$name}
title="Encodings on $name: hard, soft, LLC, VLAD and Fisher (Chatfield et al. 2011)"
val=0.1 epochs=10 subset='' resize='' seed=0
# The descriptors, the dense SIFT of PHOW: one small bin size on 28x28 images, three on larger ones.
dsift="dsift(step=4,size=4:6:8)"
case $kind in
  fashion-mnist | mnist | idx) dsift="dsift(step=2,size=4)" val=5000 ;;
  cifar10) val=5000 ;;
  folder) resize=64x64 ;;
esac
# K words for bow / soft / llc; VLAD a k-means vocabulary of vlad_k words and Fisher vectors a GMM of fv_k
# components on PCA-fv_pca descriptors, both 8192-d (Jegou's VLAD-64 and Chatfield's FV at equal size):
# VLAD of the K words would be K x 128 dimensions a pyramid cell, more than the memory of a full run.
sample=200000 words=256 vlad_k=64 fv_k=64 fv_pca=64 hist_pyramid=1:2 vec_pyramid=1
if (( fast )); then
  exp=${EXP:-exp/encodings-$name-fast}
  subset=1000 epochs=5 sample=20000 words=64 vlad_k=16 fv_k=16
  [[ $kind == fashion-mnist || $kind == mnist || $kind == idx || $kind == cifar10 ]] && val=300
fi
. "$here/../lib/recipe_steps.sh"

# 1-4: the descriptor sample and the three vocabularies learned on it.
descriptors 1 dsift "$dsift" "$sample"
stage 2 "$exp/words.h5" -- heavy vocab --descriptors "$exp/dsift_desc.h5" --k $words --iterations 20 \
  --seed "$seed" --out "$exp/words.h5"
stage 3 "$exp/vlad_words.h5" -- heavy vocab --descriptors "$exp/dsift_desc.h5" --k $vlad_k --iterations 20 \
  --seed "$seed" --out "$exp/vlad_words.h5"
stage 4 "$exp/gmm.h5" -- heavy vocab --descriptors "$exp/dsift_desc.h5" --pca $fv_pca --method gmm --k $fv_k \
  --iterations 20 --seed "$seed" --out "$exp/gmm.h5"

# 5-24: each encoding's train / val / test stores and its SVM, swept with the same ranges. Histograms
# (hard, soft) over the pyramid, L1 then the chi2 kernel map (Chatfield's best kernel for them); LLC max
# pooled and L2 normalised; VLAD and Fisher vectors power + L2 normalised (the improved Fisher vector).
splits 5 bow encode --vocab "$exp/words.h5" --encoding bow --pyramid $hist_pyramid --norm l1 --kernel-map chi2
sweep 8 bow_svm svm 1e-4:1e-2 1e-5:1e-3
splits 9 soft encode --vocab "$exp/words.h5" --encoding soft --pyramid $hist_pyramid --norm l1 --kernel-map chi2
sweep 12 soft_svm svm 1e-4:1e-2 1e-5:1e-3
splits 13 llc encode --vocab "$exp/words.h5" --encoding llc --pyramid $hist_pyramid --pool max --norm l2
sweep 16 llc_svm svm 1e-4:1e-2 1e-5:1e-3
splits 17 vlad encode --vocab "$exp/vlad_words.h5" --encoding vlad --pyramid $vec_pyramid --norm power+l2
sweep 20 vlad_svm svm 1e-4:1e-2 1e-5:1e-3
splits 21 fv encode --vocab "$exp/gmm.h5" --encoding fisher --pyramid $vec_pyramid --norm power+l2
sweep 24 fv_svm svm 1e-4:1e-2 1e-5:1e-3

# 25: the report, with the gain and McNemar test of each encoding against hard assignment.
models=("$exp/bow_svm.h5" "$exp/soft_svm.h5" "$exp/llc_svm.h5" "$exp/vlad_svm.h5" "$exp/fv_svm.h5")
tests=("$exp/bow_test.h5" "$exp/soft_test.h5" "$exp/llc_test.h5" "$exp/vlad_test.h5" "$exp/fv_test.h5")
report 25 --baseline bow_svm
