#!/usr/bin/env python3
"""Writes Tests/DriftTests/Fixtures/drift-references.json: fixed data and what numpy and scipy make of it,
for the drift tests of `athanor monitor` (PSI over decile bins, two-sample KS, χ² of homogeneity).

Run once from the repository's root: python3 scripts/drift_references.py
"""
import json

import numpy as np
from scipy import stats

EPSILON = 1e-4


def psi(expected, actual):
    p = np.maximum(np.asarray(expected, float) / max(sum(expected), 1), EPSILON)
    q = np.maximum(np.asarray(actual, float) / max(sum(actual), 1), EPSILON)
    return float(np.sum((q - p) * np.log(q / p)))


def numeric_case(name, train, new):
    train = np.asarray(train, float)
    new = np.asarray(new, float)
    edges = np.unique(np.quantile(train, np.arange(1, 10) / 10))
    train_counts = np.bincount(np.searchsorted(edges, train, side="left"), minlength=len(edges) + 1)
    new_counts = np.bincount(np.searchsorted(edges, new, side="left"), minlength=len(edges) + 1)
    ks = stats.ks_2samp(train, new)
    en = len(train) * len(new) / (len(train) + len(new))
    return {
        "name": name, "train": train.tolist(), "new": new.tolist(), "edges": edges.tolist(),
        "trainCounts": train_counts.tolist(), "newCounts": new_counts.tolist(),
        "mean": float(train.mean()), "std": float(train.std()),
        "psi": psi(train_counts, new_counts),
        "ksStatistic": float(ks.statistic),
        # The asymptotic Kolmogorov distribution, as Athanor computes the p-value.
        "ksPValue": float(stats.kstwobign.sf(np.sqrt(en) * ks.statistic)),
    }


def categorical_case(name, train_counts, new_counts):
    table = np.array([train_counts, new_counts])
    table = table[:, table.sum(axis=0) > 0]
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    return {
        "name": name, "trainCounts": train_counts, "newCounts": new_counts,
        "psi": psi(train_counts, new_counts), "chi2": float(chi2), "dof": int(dof), "pValue": float(p),
    }


rng = np.random.default_rng(18)
numeric = [
    numeric_case("same normal", rng.normal(0, 1, 800), rng.normal(0, 1, 1500)),
    numeric_case("shifted normal", rng.normal(0, 1, 1000), rng.normal(0.3, 1, 700)),
    numeric_case("ties", rng.integers(0, 5, 600).astype(float), rng.integers(0, 6, 900).astype(float)),
    numeric_case("scaled lognormal", rng.lognormal(0, 1, 500), 1.5 * rng.lognormal(0, 1, 2000)),
]
categorical = [
    categorical_case("similar mix", [500, 300, 200, 0, 0], [260, 140, 100, 0, 0]),
    categorical_case("changed mix", [500, 300, 200, 0, 10], [150, 150, 200, 0, 4]),
    categorical_case("new category", [400, 400, 0, 0], [380, 390, 30, 0]),
]
# The Kolmogorov distribution's tail on both sides of 1, where the two series meet.
kolmogorov = [{"x": x, "sf": float(stats.kstwobign.sf(x))} for x in [0.3, 0.6, 0.9, 0.99, 1.0, 1.2, 1.8, 3.0]]
with open("Tests/DriftTests/Fixtures/drift-references.json", "w") as out:
    json.dump({"numeric": numeric, "categorical": categorical, "kolmogorov": kolmogorov}, out, indent=1)
