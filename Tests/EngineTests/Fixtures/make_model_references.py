#!/usr/bin/env python3
"""Writes model_references.json: scikit-learn's fitted results on the shipped data, which
ModelTests compares the engine's models against.

    pip install scikit-learn && python3 Tests/EngineTests/Fixtures/make_model_references.py

Deterministic: fixed data (notebooks/data), fixed random_state, no sampling.
"""
import csv
import json
import os

import numpy as np
from sklearn.cluster import KMeans
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "notebooks", "data")


def read(name, target):
    with open(os.path.join(DATA, name)) as f:
        rows = list(csv.DictReader(f))
    columns = [c for c in rows[0] if c != target]
    x = np.array([[float(r[c]) for c in columns] for r in rows])
    y = [r[target] for r in rows]
    return x, y


def main():
    out = {}
    x, y = read("diabetes.csv", "progression")
    y = np.array([float(v) for v in y])
    linear = LinearRegression().fit(x, y)
    ridge = Ridge(alpha=1.0).fit(x, y)
    out["diabetes"] = {
        "linear": {"coefficients": linear.coef_.tolist(), "intercept": float(linear.intercept_)},
        "ridge": {"coefficients": ridge.coef_.tolist(), "intercept": float(ridge.intercept_)},
    }

    x, y = read("iris.csv", "species")
    x = StandardScaler().fit_transform(x)
    names = sorted(set(y))
    labels = np.array([names.index(v) for v in y])
    multinomial = LogisticRegression(C=1.0).fit(x, labels)
    keep = labels > 0
    binary = LogisticRegression(C=1.0).fit(x[keep], labels[keep])
    out["iris"] = {
        "x": x.tolist(),
        "labels": labels.tolist(),
        "multinomial_probabilities": multinomial.predict_proba(x).tolist(),
        "binary_probabilities": binary.predict_proba(x[keep]).tolist(),
    }

    x, _ = read("wine.csv", "cultivar")
    x = StandardScaler().fit_transform(x)
    kmeans = KMeans(n_clusters=3, n_init=10, random_state=0).fit(x)
    out["wine"] = {"x": x.tolist(), "kmeans3_inertia": float(kmeans.inertia_)}

    with open(os.path.join(HERE, "model_references.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
