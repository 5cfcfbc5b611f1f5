#!/usr/bin/env python3
"""Times Athanor's engine against scikit-learn on the same data in the same run, and prints ratios.

    pip install scikit-learn        # once
    python3 benchmarks/engine_vs_sklearn.py [--repeat 3] [--only digits,synthetic,fashion]

The script writes each dataset once (digits: scikit-learn's bundled 1797x64, 80/20 split with
random_state=0, standardized; synthetic: make_classification 160k x 100, 10 classes; Fashion-MNIST:
the IDX files of Debian's dataset-fashion-mnist, scaled to [0, 1]) as raw float64 files, fits the
scikit-learn model in this process and the engine's model through `swift run -c release
EngineBenchmarks` on the very same files, and reports the best fit time of each over --repeat runs.
Fit times only: loading and writing data are not timed on either side.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build", "release", "EngineBenchmarks")
FASHION = "/usr/share/datasets/fashion-mnist"


def write(directory, name, x_train, y_train, x_test, y_test):
    for part, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        np.ascontiguousarray(x, dtype="<f8").tofile(os.path.join(directory, f"{name}.{part}.x"))
        np.ascontiguousarray(y, dtype="<f8").tofile(os.path.join(directory, f"{name}.{part}.y"))
    with open(os.path.join(directory, f"{name}.json"), "w") as f:
        json.dump({"train_rows": len(x_train), "test_rows": len(x_test), "columns": x_train.shape[1]}, f)


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion_file(stem):
    for root, _, files in os.walk(FASHION):
        for name in files:
            if name.startswith(stem):
                return os.path.join(root, name)
    raise FileNotFoundError(f"{stem}* under {FASHION}: apt-get install dataset-fashion-mnist")


def engine(directory, name, task, epochs=None):
    command = [BENCH, directory, name, task] + ([str(epochs)] if epochs else [])
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def best_of(repeat, run):
    results = [run() for _ in range(repeat)]
    return min(results, key=lambda r: r["fit_seconds"])


def sklearn_fit(model, x_train, y_train, x_test, y_test, epochs=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(x_train, y_train)
        seconds = time.perf_counter() - start
    result = {"fit_seconds": seconds}
    if isinstance(model, KMeans):
        result["inertia"] = model.inertia_
    else:
        result["accuracy"] = accuracy_score(y_test, model.predict(x_test))
        if hasattr(model, "n_iter_"):
            iterations = int(np.max(model.n_iter_))
            result["epochs"] = iterations
            result["samples_per_second"] = iterations * len(x_train) / seconds
    return result


def main():
    # These variables, set on some machines for an old OpenBLAS, slow a current numpy: the
    # reference should run at its best (see the environment notes), so drop them for this run.
    if any(v in os.environ for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")):
        environment = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
        os.execve(sys.executable, [sys.executable] + sys.argv, environment)
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="digits,synthetic,fashion")
    options = parser.parse_args()
    only = set(options.only.split(","))
    subprocess.run(["swift", "build", "-c", "release", "--product", "EngineBenchmarks"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        if "digits" in only:
            digits = load_digits()
            x_train, x_test, y_train, y_test = train_test_split(
                digits.data, digits.target, test_size=0.2, random_state=0)
            scaler = StandardScaler().fit(x_train)
            x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)
            write(directory, "digits", x_train, y_train, x_test, y_test)
            cases = [
                ("digits softmax (LogisticRegression)", "softmax", None,
                 lambda: LogisticRegression(max_iter=100)),
                ("digits MLP(64) (MLPClassifier, max_iter 200)", "mlp64", 200,
                 lambda: MLPClassifier(hidden_layer_sizes=(64,), max_iter=200, random_state=0)),
                ("digits k-means k=10 (KMeans, n_init 10)", "kmeans", None,
                 lambda: KMeans(n_clusters=10, n_init=10, random_state=0)),
            ]
            for label, task, epochs, make in cases:
                ours = best_of(options.repeat, lambda: engine(directory, "digits", task, epochs))
                theirs = best_of(options.repeat, lambda: sklearn_fit(make(), x_train, y_train, x_test, y_test))
                rows.append((label, ours, theirs))
        if "synthetic" in only:
            x, y = make_classification(n_samples=170_000, n_features=100, n_informative=60, n_classes=10,
                                       random_state=0)
            x_train, x_test, y_train, y_test = x[:160_000], x[160_000:], y[:160_000], y[160_000:]
            write(directory, "synthetic", x_train, y_train, x_test, y_test)
            ours = best_of(options.repeat, lambda: engine(directory, "synthetic", "mlp256", 5))
            theirs = best_of(options.repeat, lambda: sklearn_fit(
                MLPClassifier(hidden_layer_sizes=(256,), max_iter=5, random_state=0),
                x_train, y_train, x_test, y_test))
            rows.append(("synthetic 160k x 100, MLP(256), 5 epochs", ours, theirs))
        if "fashion" in only:
            x_train = idx(fashion_file("train-images")).reshape(-1, 784) / 255.0
            y_train = idx(fashion_file("train-labels")).astype(float)
            x_test = idx(fashion_file("t10k-images")).reshape(-1, 784) / 255.0
            y_test = idx(fashion_file("t10k-labels")).astype(float)
            write(directory, "fashion", x_train, y_train, x_test, y_test)
            ours = best_of(options.repeat, lambda: engine(directory, "fashion", "mlp256", 5))
            theirs = best_of(options.repeat, lambda: sklearn_fit(
                MLPClassifier(hidden_layer_sizes=(256,), max_iter=5, random_state=0),
                x_train, y_train, x_test, y_test))
            rows.append(("Fashion-MNIST 60k x 784, MLP(256), 5 epochs", ours, theirs))

    print(f"| case | engine fit s | scikit-learn fit s | time ratio | engine | scikit-learn |")
    print(f"|---|---|---|---|---|---|")
    for label, ours, theirs in rows:
        def describe(r):
            parts = []
            if "accuracy" in r:
                parts.append(f"acc {r['accuracy']:.4f}")
            if "inertia" in r:
                parts.append(f"inertia {r['inertia']:.1f}")
            if "epochs" in r:
                parts.append(f"{int(r['epochs'])} epochs")
            if "samples_per_second" in r:
                parts.append(f"{r['samples_per_second'] / 1000:.0f}k samples/s")
            return ", ".join(parts)
        ratio = ours["fit_seconds"] / theirs["fit_seconds"]
        print(f"| {label} | {ours['fit_seconds']:.3f} | {theirs['fit_seconds']:.3f} | {ratio:.2f}x | "
              f"{describe(ours)} | {describe(theirs)} |")


if __name__ == "__main__":
    sys.exit(main())
