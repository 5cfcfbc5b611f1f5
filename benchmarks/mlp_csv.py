#!/usr/bin/env python3
"""The MLP from a CSV, whole step against scikit-learn's fit, both on one thread, in one run.

    python3 benchmarks/mlp_csv.py [--rows 40000] [--rounds 3]

Writes a 40k x 200, 10-class CSV (make_classification, seed 0), then, interleaved for --rounds:
- `athanor run` of a notebook `load -> train mlp` (hidden [256], 5 epochs, batch 200, adam,
  lr 0.001) with --no-cache and BLIS_NUM_THREADS=1 OMP_NUM_THREADS=1; the train step's seconds
  come from `run --json`;
- MLPClassifier(hidden_layer_sizes=(256,), max_iter=5, batch_size=200) fitted on the same CSV
  read by pandas, under threadpoolctl's limit of 1 thread; the fit alone is timed.
Prints the median of each and the ratio (target: train step at most 0.5x the fit).
"""
import argparse
import json
import os
import subprocess
import tempfile
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ATHANOR = os.path.join(ROOT, ".build", "release", "athanor")
NOTEBOOK = """```step data
op: load
path: data.csv
target: label
```

```step mlp
op: train
model: mlp
input: data
hidden: [256]
epochs: 5
batch: 200
lr: 0.001
seed: 0
```
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=40000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "athanor"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as work:
        x, y = make_classification(n_samples=args.rows, n_features=200, n_informative=60, n_classes=10,
                                   random_state=0)
        frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(200)])
        frame["label"] = y
        csv = os.path.join(work, "data.csv")
        frame.to_csv(csv, index=False, float_format="%.6g")
        with open(os.path.join(work, "mlp.md"), "w") as f:
            f.write(NOTEBOOK)
        environment = dict(os.environ, BLIS_NUM_THREADS="1", OMP_NUM_THREADS="1", ATHANOR_THREADS="1")
        engine, peer = [], []
        accuracy = {}
        for round in range(args.rounds):
            for turn in ((0, 1) if round % 2 == 0 else (1, 0)):
                if turn == 0:
                    out = subprocess.run([ATHANOR, "run", "mlp.md", "--no-cache", "-q", "--json"], cwd=work,
                                         env=environment, check=True, capture_output=True, text=True).stdout
                    run = json.loads(out)
                    engine.append(next(s["seconds"] for s in run["steps"] if s["name"] == "mlp"))
                else:
                    data = pd.read_csv(csv)
                    features = data.drop(columns=["label"]).to_numpy()
                    labels = data["label"].to_numpy()
                    model = MLPClassifier(hidden_layer_sizes=(256,), max_iter=5, batch_size=200, random_state=0)
                    with threadpool_limits(1), warnings.catch_warnings():
                        warnings.simplefilter("ignore", ConvergenceWarning)
                        start = time.perf_counter()
                        model.fit(features, labels)
                        peer.append(time.perf_counter() - start)
                    accuracy["scikit-learn (train)"] = model.score(features, labels)
        e, p = float(np.median(engine)), float(np.median(peer))
        print(f"MLP(256), 5 epochs, batch 200, {args.rows} x 200 CSV, 10 classes, 1 thread, median of {args.rounds}")
        print(f"athanor train step   {e:7.3f} s")
        print(f"MLPClassifier.fit    {p:7.3f} s   (train accuracy {accuracy['scikit-learn (train)']:.4f})")
        print(f"ratio {e / p:.2f}x (target <= 0.5x)")


if __name__ == "__main__":
    main()
