#!/usr/bin/env python3
"""Reference ROC and precision-recall curves, computed by scikit-learn.

Writes curve_references.json beside this script: deterministic binary cases
(numpy RandomState with fixed seeds) and what scikit-learn returns for them,
every float with full precision. Tests/EngineTests/CurveTests.swift checks
Engine's `Metrics.rocCurve`, `precisionRecallCurve` and `averagePrecision`.

Run from anywhere, after `pip install scikit-learn`:

    python3 Tests/EngineTests/Fixtures/make_curve_references.py

How each value is obtained (pos_label is the case's `positive`, 0 or 1):
- roc_curve: fpr, tpr of roc_curve(truth, scores, pos_label=p) with its
  default drop_intermediate=True (thresholds are not compared).
- precision_recall_curve: precision, recall of precision_recall_curve(truth,
  scores, pos_label=p), default drop_intermediate=False.
- average_precision: average_precision_score(truth, scores, pos_label=p).
- roc_auc: roc_auc_score(truth == p, scores).
"""

import json
import pathlib

import numpy as np
import sklearn
from sklearn import metrics


def case(name, truth, scores, positive):
    truth = np.asarray(truth)
    scores = np.asarray(scores, dtype=np.float64)
    fpr, tpr, _ = metrics.roc_curve(truth, scores, pos_label=positive)
    precision, recall, _ = metrics.precision_recall_curve(truth, scores, pos_label=positive)
    return {
        "name": name,
        "truth": [int(v) for v in truth],
        "scores": [float(v) for v in scores],
        "positive": positive,
        "expected": {
            "fpr": [float(v) for v in fpr],
            "tpr": [float(v) for v in tpr],
            "precision": [float(v) for v in precision],
            "recall": [float(v) for v in recall],
            "average_precision": float(metrics.average_precision_score(truth, scores, pos_label=positive)),
            "roc_auc": float(metrics.roc_auc_score(truth == positive, scores)),
        },
    }


def main():
    cases = []
    # Overlapping classes, scores rounded to two decimals so that many thresholds tie.
    rng = np.random.RandomState(14)
    truth = rng.randint(0, 2, size=300)
    scores = np.clip(np.round(0.5 + 0.25 * (truth - 0.5) + rng.normal(0, 0.2, size=300), 2), 0, 1)
    cases.append(case("ties", truth, scores, 1))
    # The same, scoring class 0: the scores are then the probability of class 0.
    cases.append(case("ties_positive_zero", truth, 1 - scores, 0))
    # Distinct scores, a few positives among many negatives.
    rng = np.random.RandomState(7)
    truth = (rng.rand(500) < 0.1).astype(int)
    scores = rng.rand(500) * 0.7 + truth * 0.3
    cases.append(case("imbalanced", truth, scores, 1))
    # Perfectly separated, and every score the same.
    cases.append(case("separated", [0, 0, 1, 1, 0, 1], [0.1, 0.2, 0.8, 0.9, 0.3, 0.7], 1))
    cases.append(case("all_tied", [0, 1, 0, 1, 1], [0.5] * 5, 1))
    out = {
        "generator": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
        "cases": cases,
    }
    path = pathlib.Path(__file__).with_name("curve_references.json")
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
