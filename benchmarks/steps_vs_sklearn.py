#!/usr/bin/env python3
"""split, preprocess and evaluate against scikit-learn's, in process, on one CSV, in one run.

    python3 benchmarks/steps_vs_sklearn.py [--rows 1000000] [--repeat 3]

Writes ROWS x 20 features and a binary label (benchmarks/pipeline/make_data.py), then times, best of
--repeat, the engine's operations through `DataPathBenchmark` (Load.run, Split.run stratified 80/20,
Preprocess standardize fitted on train and applied to train and test, Evaluate accuracy + log_loss +
roc_auc of a logistic model) and the same with pandas.read_csv, train_test_split(stratify),
StandardScaler fit + transform of both parts, and accuracy_score + log_loss + roc_auc_score of a
LogisticRegression's predictions. Prints each pair and its ratio (targets: split, preprocess and
evaluate at most 1.0x). In process on both sides: the step's cache writes are not in these figures
(benchmarks/pipeline.sh times whole runs, cache included).
"""
import argparse
import json
import os
import subprocess
import tempfile
import time
import warnings

import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def best(repeat, body):
    fastest, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = body()
        fastest = min(fastest, time.perf_counter() - start)
    return result, fastest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "DataPathBenchmark"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as work:
        csv = os.path.join(work, "data.csv")
        subprocess.run(["python3", os.path.join(ROOT, "benchmarks", "pipeline", "make_data.py"), str(args.rows), csv],
                       check=True)
        engine = json.loads(subprocess.run(
            [os.path.join(ROOT, ".build", "release", "DataPathBenchmark"), csv, "label", str(args.repeat)],
            check=True, capture_output=True, text=True).stdout)
        frame, load = best(args.repeat, lambda: pd.read_csv(csv))
        x = frame.drop(columns=["label"]).to_numpy()
        y = frame["label"].to_numpy()
        (x_train, x_test, y_train, y_test), split = best(
            args.repeat, lambda: train_test_split(x, y, test_size=0.2, stratify=y, random_state=7))

        def preprocess():
            scaler = StandardScaler().fit(x_train)
            return scaler.transform(x_train), scaler.transform(x_test)

        (train, test), scale = best(args.repeat, preprocess)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = LogisticRegression(max_iter=5).fit(train, y_train)

        def evaluate():
            probabilities = model.predict_proba(test)
            return (accuracy_score(y_test, model.predict(test)), log_loss(y_test, probabilities),
                    roc_auc_score(y_test, probabilities[:, 1]))

        _, score = best(args.repeat, evaluate)
        peer = {"load": load, "split": split, "preprocess": scale, "evaluate": score}
        print(f"{args.rows} x 20, best of {args.repeat}, in process")
        for name in ("load", "split", "preprocess", "evaluate"):
            print(f"{name:11s} engine {engine[name]:7.3f} s   scikit-learn {peer[name]:7.3f} s   "
                  f"ratio {engine[name] / peer[name]:.2f}x")
        print(f"columnar form: write {engine['columnar_write']:.3f} s, read {engine['columnar_read']:.3f} s")


if __name__ == "__main__":
    main()
