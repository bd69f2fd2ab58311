# The compared pipelines as numbered stages, sourced by pipelines/<dataset>/run.sh after it sets:
#   data      dataset spec             exp     experiment folder
#   val       --val-size               subset  --subset N for --fast, or empty
#   epochs    least training epochs    resize  --resize WxH for image folders, or empty
#   seed      --seed                   title   report title
#   dsift     dense SIFT descriptor spec;  patch   patch descriptor spec
#   bow_k / tri_k / fv_k  vocabulary sizes; bow_pyramid / tri_pyramid / fv_pyramid  pyramids
#   fv_pca    principal components the Fisher-vector pipeline keeps of dense SIFT
#   rbf_gamma / rbf_dim   optional: the RBF kernel's gamma and the random Fourier features of the HOG +
#             RBF pipeline (stages 31-34; the map's seed is the experiment's); unset, no such pipeline
# data, val, subset, seed and resize are the experiment's shared options (lib/recipe_config.sh: kept in
# $exp/config). Each stage is a plain featpipe call, the heavy ones through the launcher (`heavy`,
# --launcher); see lib/stages.sh for --stage and the skipping of up-to-date outputs.

. "$(dirname "${BASH_SOURCE[0]}")/recipe_steps.sh"

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

models=("$exp/raw_softmax.h5" "$exp/raw_svm.h5" "$exp/hoghue_svm.h5" "$exp/hograw_svm.h5" "$exp/bow_svm.h5"
  "$exp/triangle_svm.h5" "$exp/fv_svm.h5")
tests=("$exp/raw_test.h5" "$exp/raw_test.h5" "$exp/hoghue_test.h5" "$exp/hograw_test.h5" "$exp/bow_test.h5"
  "$exp/triangle_test.h5" "$exp/fv_test.h5")

# Pipeline 6 (where the recipe sets rbf_gamma): HOG through random Fourier features of the RBF kernel (Rahimi
# & Recht), so that a linear SVM approximates the RBF-kernel SVM on HOG.
if [[ -n ${rbf_gamma:-} ]]; then
  splits 31 hogrbf extract --features "hog(cell=4,variant=uoctti)" \
    --kernel-map "rbf(gamma=$rbf_gamma,dim=$rbf_dim,seed=$seed)"
  sweep 34 hogrbf_svm svm 3e-5:3e-4 1e-4:1e-2
  models+=("$exp/hogrbf_svm.h5")
  tests+=("$exp/hogrbf_test.h5")
fi

# Pipeline 7: the pipelines' strengths combined. HOG + hue + raw pixels, the triangle codes and the Fisher
# vectors of the same images side by side in one linear SVM, from the stores already made.
fused_sweep 35 fused_svm svm 3e-5:3e-4 1e-5:1e-3 hograw triangle fv
models+=("$exp/fused_svm.h5")
tests+=("$(fused_tests hograw triangle fv)")

# 36: the report (table + plots) over every model, each on its own test stores.
report 36
