#!/usr/bin/env python3
"""Writes the tree benchmarks' data for EngineBenchmarks (raw float64, as engine_vs_sklearn.py does):
the same make_classification 200k x 20 split as boosting_vs_sklearn.py --large, and digits 75/25.

    python3 benchmarks/trees_data.py DIR
    .build/release/EngineBenchmarks DIR classification boosting     # or forest; DIR digits forest
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write(directory, name, x_train, y_train, x_test, y_test):
    for part, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        np.ascontiguousarray(x, dtype="<f8").tofile(os.path.join(directory, f"{name}.{part}.x"))
        np.ascontiguousarray(y, dtype="<f8").tofile(os.path.join(directory, f"{name}.{part}.y"))
    with open(os.path.join(directory, f"{name}.json"), "w") as f:
        json.dump({"train_rows": len(x_train), "test_rows": len(x_test), "columns": x_train.shape[1]}, f)


def main():
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    x, y = make_classification(n_samples=250_000, n_features=20, n_informative=10, random_state=0)
    x_train, x_test, y_train, y_test = train_test_split(x, y, train_size=200_000, random_state=0, stratify=y)
    write(directory, "classification", x_train, y_train, x_test, y_test)
    frame = pd.read_csv(os.path.join(ROOT, "notebooks", "data", "digits.csv"))
    train, test = train_test_split(frame, test_size=0.25, random_state=0, stratify=frame["label"])
    write(directory, "digits", train.drop(columns=["label"]).values, train["label"].values,
          test.drop(columns=["label"]).values, test["label"].values)


if __name__ == "__main__":
    main()
