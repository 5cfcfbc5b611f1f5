#!/usr/bin/env python3
"""Athanor's tree models against scikit-learn's on the same splits: `gradient_boosting` against
HistGradientBoosting, `random_forest` against RandomForest (n_jobs=2), `decision_tree` against
DecisionTree; for boosting, LightGBM (`pip install lightgbm`) as a third column when it is installed.

    swift build -c release --product athanor     # once
    python3 benchmarks/boosting_vs_sklearn.py [--athanor .build/release/athanor] [--repeat 3] [--large]
        [--models gradient_boosting,random_forest,decision_tree] [--datasets classification,digits]

For each bundled dataset (notebooks/data: iris, wine, digits, diabetes, and loans, whose numeric
columns have missing values that neither side imputes) the script writes the train and test rows
to CSV (a 75/25 split with random_state=0, stratified for classifiers; loans comes split), runs a
notebook that loads them and trains `model: gradient_boosting` with its defaults, and fits
HistGradientBoostingClassifier/Regressor with its defaults on the very same rows. Loans' two text
columns are one-hot encoded on both sides (a missing category gives NaN in every indicator, as
Athanor's `onehot` does). `--large` adds make_classification 200k x 20 (100 iterations, early
stopping off on both sides). Athanor's time is the train step's own duration from the run record
(`--no-cache`), scikit-learn's and LightGBM's the `fit` call; each is the best of --repeat runs, the
three taking turns (one run of each per round), so that a change in the machine's load falls on all.
LightGBM runs with its defaults, which match these (100 iterations, learning rate 0.1, 31 leaves,
20 rows per leaf, 255 bins), on the machine's cores (n_jobs=os.cpu_count()), NaN native as both.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier,
                              RandomForestRegressor)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split

try:
    import lightgbm
except ImportError:
    lightgbm = None

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "notebooks", "data")

DATASETS = [
    ("iris", "species", "classification"),
    ("wine", "cultivar", "classification"),
    ("digits", "label", "classification"),
    ("diabetes", "progression", "regression"),
    ("loans", "outcome", "classification"),
]


def write_csv(frame, path):
    """Every float written with repr, so that both sides read exactly the same numbers; NaN as empty."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(frame.columns)
        for row in frame.itertuples(index=False):
            writer.writerow(["" if isinstance(v, float) and np.isnan(v) else repr(v) if isinstance(v, float)
                             else str(v) for v in row])


def onehot(train, test, columns):
    """Indicators for the train rows' levels; a missing value is NaN in each of its column's indicators."""
    out = []
    for frame in (train, test):
        frame = frame.copy()
        for column in columns:
            levels = sorted(train[column].dropna().unique())
            for level in levels:
                values = (frame[column] == level).astype(float)
                values[frame[column].isna()] = np.nan
                frame[f"{column}_{level}"] = values
            frame = frame.drop(columns=[column])
        out.append(frame)
    return out


def splits(name, target, task):
    if name == "loans":
        train = pd.read_csv(os.path.join(DATA, "loans-train.csv"), na_values=["N/A", "null", "?"])
        test = pd.read_csv(os.path.join(DATA, "loans-test.csv"), na_values=["N/A", "null", "?"])
        return train, test
    frame = pd.read_csv(os.path.join(DATA, f"{name}.csv"))
    return train_test_split(
        frame, test_size=0.25, random_state=0, stratify=frame[target] if task == "classification" else None)


NOTEBOOK = """```step train_data
op: load
path: train.csv
target: {target}
```

```step test_data
op: load
path: test.csv
target: {target}
```
{prepare}
```step model
op: train
model: {model}
input: {train}
{extra}```

```step eval
op: evaluate
model: model
input: {test}
metrics: [{metric}]
```
"""

PREPARE = """
```step encode
op: preprocess
fit: train_data
apply: {{train: train_data, test: test_data}}
onehot: [{columns}]
```
"""


def athanor(binary, directory, target, task, categorical, extra, repeat, model):
    prepare = PREPARE.format(columns=", ".join(categorical)) if categorical else ""
    text = NOTEBOOK.format(
        target=target, model=model, prepare=prepare, train="encode.train" if categorical else "train_data",
        test="encode.test" if categorical else "test_data", extra=extra,
        metric="accuracy" if task == "classification" else "r2")
    path = os.path.join(directory, "nb.md")
    with open(path, "w") as f:
        f.write(text)
    best, score = None, None
    for _ in range(repeat):
        done = subprocess.run([binary, "run", path, "--json", "--no-cache", "--quiet"], cwd=directory,
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"athanor failed:\n{done.stdout}\n{done.stderr}")
        run = json.loads(done.stdout)
        seconds = next(step["seconds"] for step in run["steps"] if step["name"] == "model")
        best = seconds if best is None else min(best, seconds)
        score = run["metrics"]["eval." + ("accuracy" if task == "classification" else "r2")]
    return score, best


KINDS = {
    "gradient_boosting": (HistGradientBoostingClassifier, HistGradientBoostingRegressor),
    "random_forest": (RandomForestClassifier, RandomForestRegressor),
    "decision_tree": (DecisionTreeClassifier, DecisionTreeRegressor),
}


def sklearn(train, test, target, task, options, repeat, kind):
    x, y = train.drop(columns=[target]), train[target]
    model_type = KINDS[kind][0 if task == "classification" else 1]
    if kind == "random_forest":
        options = {"n_jobs": 2}
    elif kind == "decision_tree":
        options = {}
    best = None
    for _ in range(repeat):
        model = model_type(random_state=0, **options)
        start = time.perf_counter()
        model.fit(x, y)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    predicted = model.predict(test.drop(columns=[target]))
    score = accuracy_score(test[target], predicted) if task == "classification" else r2_score(test[target], predicted)
    return score, best, getattr(model, "n_iter_", None)


def light(train, test, target, task, repeat):
    """LightGBM with its defaults (early stopping needs a validation set it is not given: off)."""
    x, y = train.drop(columns=[target]), train[target]
    model_type = lightgbm.LGBMClassifier if task == "classification" else lightgbm.LGBMRegressor
    best = None
    for _ in range(repeat):
        model = model_type(random_state=0, n_jobs=os.cpu_count(), verbose=-1)
        start = time.perf_counter()
        model.fit(x, y)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    predicted = model.predict(test.drop(columns=[target]))
    score = accuracy_score(test[target], predicted) if task == "classification" else r2_score(test[target], predicted)
    return score, best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--athanor", default=os.path.join(ROOT, ".build", "release", "athanor"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--models", default="gradient_boosting")
    parser.add_argument("--datasets", help="only these cases, by the start of their names (classification,digits)")
    args = parser.parse_args()
    args.athanor = os.path.abspath(args.athanor)
    cases = [(name, target, task, {}, "") for name, target, task in DATASETS]
    if args.large:
        cases.append(("classification 200k x 20", "y", "classification", {"early_stopping": False},
                      "early_stopping: false\n"))
    if args.datasets:
        wanted = args.datasets.split(",")
        cases = [case for case in cases if any(case[0].startswith(prefix) for prefix in wanted)]
    print(f"{'model':18} {'dataset':26} {'metric':9} {'athanor':>8} {'sklearn':>8} {'athanor s':>10} "
          f"{'sklearn s':>10} {'ratio':>6}" + (f" {'lightgbm':>8} {'lgbm s':>8} {'ratio':>6}" if lightgbm else ""))
    for kind in args.models.split(","):
        for name, target, task, options, extra in cases:
            if kind != "gradient_boosting" and name == "loans":
                continue  # trees and forests need imputed data
            with tempfile.TemporaryDirectory() as directory:
                if name.startswith("classification"):
                    x, y = make_classification(n_samples=250_000, n_features=20, n_informative=10, random_state=0)
                    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(20)])
                    frame["y"] = y
                    train, test = train_test_split(frame, train_size=200_000, random_state=0, stratify=y)
                else:
                    train, test = splits(name, target, task)
                categorical = [c for c in train.columns if c != target and not pd.api.types.is_numeric_dtype(train[c])]
                write_csv(train, os.path.join(directory, "train.csv"))
                write_csv(test, os.path.join(directory, "test.csv"))
                train_x, test_x = onehot(train, test, categorical) if categorical else (train, test)
                with_light = lightgbm is not None and kind == "gradient_boosting"
                ours_seconds = theirs_seconds = light_seconds = float("inf")
                for _ in range(args.repeat):  # in turns: one run of each per round
                    ours, seconds = athanor(
                        args.athanor, directory, target, task, categorical,
                        extra if kind == "gradient_boosting" else "", 1, kind)
                    ours_seconds = min(ours_seconds, seconds)
                    theirs, seconds, _ = sklearn(train_x, test_x, target, task, options, 1, kind)
                    theirs_seconds = min(theirs_seconds, seconds)
                    if with_light:
                        light_score, seconds = light(train_x, test_x, target, task, 1)
                        light_seconds = min(light_seconds, seconds)
                metric = "accuracy" if task == "classification" else "r2"
                line = (f"{kind:18} {name:26} {metric:9} {ours:8.4f} {theirs:8.4f} {ours_seconds:10.3f} "
                        f"{theirs_seconds:10.3f} {ours_seconds / theirs_seconds:6.2f}")
                if with_light:
                    line += f" {light_score:8.4f} {light_seconds:8.3f} {ours_seconds / light_seconds:6.2f}"
                print(line, flush=True)

if __name__ == "__main__":
    main()
