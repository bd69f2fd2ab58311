"""Raw pixels against HOG + hue histograms on Fashion-MNIST, as pipelines/fashion-mnist/run.sh compares them:
the same splits, features, sweep grids and training, so the same figures as the recipe's report.
   usage: /usr/bin/python3 compare.py [--fast]   (--fast: the recipe's --fast, 3000 images, 5 epochs)"""
import sys

import featpipe

fast = "--fast" in sys.argv
val, epochs, subset = (500, 5, 3000) if fast else (5000, 10, None)


def split(name):  # --val-size for train and val, --subset for train and test, as the recipe passes them
    return featpipe.datasets.load_split("fashion-mnist", name, val_size=None if name == "test" else val,
                                        subset=None if name == "val" else subset)[:2]


def grid(low, high, steps=3):  # featpipe sweep's --lr-range / --lambda-range: log-spaced, --steps 3
    return [low * (high / low) ** (i / (steps - 1)) for i in range(steps)]


(X, y), (X_val, y_val), (X_test, y_test) = split("train"), split("val"), split("test")
for name, spec, loss, model_epochs in [("raw_softmax", "raw", "softmax", epochs), ("raw_svm", "raw", "svm", epochs),
                                       ("hoghue_svm", "hog(cell=4,variant=uoctti)+huehist(bins=12)", "svm", 2 * epochs)]:
    F, F_val, F_test = (featpipe.extract(images, spec) for images in (X, X_val, X_test))
    best = None  # the best validation accuracy, the first in grid order among equals (featpipe sweep's rule)
    for lr in grid(3e-4, 3e-3):
        for lam in grid(1e-5, 1e-3):
            model = featpipe.LinearClassifier(loss=loss, lr=lr, lam=lam, epochs=model_epochs, batch=256)
            model.fit(F, y, X_val=F_val, y_val=y_val)
            if best is None or model.history_["val_acc"][-1] > best.history_["val_acc"][-1]:
                best = model
    print(f"{name:<12} test accuracy {best.score(F_test, y_test):.4f}  (val {best.history_['val_acc'][-1]:.4f}, "
          f"lr {best.lr:.3g}, lambda {best.lam:.3g}, {F.shape[1]} features)")
