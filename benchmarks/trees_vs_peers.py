#!/usr/bin/env python3
"""The engine's tree models alone (EngineBenchmarks, fit time without the CSV or the notebook)
against scikit-learn's and LightGBM's fit, on the data benchmarks/trees_data.py writes, taking
turns (one fit of each per round), best of --repeat.

    swift build -c release --product EngineBenchmarks
    python3 benchmarks/trees_data.py /tmp/trees-data
    python3 benchmarks/trees_vs_peers.py /tmp/trees-data [--repeat 3] [--cases classification:boosting,...]
    # cases: classification:boosting, classification:forest, digits:forest
"""
import argparse
import json
import os
import subprocess
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import accuracy_score

try:
    import lightgbm
except ImportError:
    lightgbm = None

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(directory, name):
    with open(os.path.join(directory, f"{name}.json")) as f:
        shapes = json.load(f)
    def read(part, rows):
        x = np.fromfile(os.path.join(directory, f"{name}.{part}.x"), dtype="<f8").reshape(rows, shapes["columns"])
        y = np.fromfile(os.path.join(directory, f"{name}.{part}.y"), dtype="<f8")
        return x, y
    return read("train", shapes["train_rows"]) + read("test", shapes["test_rows"])


def fit(model, x, y, xt, yt):
    start = time.perf_counter()
    model.fit(x, y)
    seconds = time.perf_counter() - start
    return accuracy_score(yt, model.predict(xt)), seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--engine", default=os.path.join(ROOT, ".build", "release", "EngineBenchmarks"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", default="classification:boosting,digits:forest,classification:forest")
    args = parser.parse_args()
    for case in args.cases.split(","):
        name, task = case.split(":")
        x, y, xt, yt = load(args.directory, name)
        peers = {}
        if task == "boosting":
            peers["sklearn"] = lambda: HistGradientBoostingClassifier(random_state=0, early_stopping=False)
            if lightgbm is not None:
                peers["lightgbm"] = lambda: lightgbm.LGBMClassifier(random_state=0, n_jobs=os.cpu_count(), verbose=-1)
        else:
            peers["sklearn"] = lambda: RandomForestClassifier(random_state=0, n_jobs=2)
        best = {"athanor": (None, float("inf"))}
        best.update({peer: (None, float("inf")) for peer in peers})
        for _ in range(args.repeat):
            out = subprocess.run([args.engine, args.directory, name, task], capture_output=True, text=True, check=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            best["athanor"] = (result["accuracy"], min(best["athanor"][1], result["fit_seconds"]))
            for peer, make in peers.items():
                score, seconds = fit(make(), x, y, xt, yt)
                best[peer] = (score, min(best[peer][1], seconds))
        ours = best["athanor"][1]
        line = f"{name:15} {task:9}" + "".join(
            f" {peer} {score:.4f} {seconds:8.3f}s ({ours / seconds:.2f}x)" for peer, (score, seconds) in best.items())
        print(line, flush=True)


if __name__ == "__main__":
    main()
