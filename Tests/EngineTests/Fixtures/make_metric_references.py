#!/usr/bin/env python3
"""Reference values for Athanor's metrics, computed by scikit-learn.

Writes metric_references.json beside this script: deterministic inputs (numpy
RandomState with fixed seeds) and what scikit-learn returns for them, every
float written with full precision (Python's repr round-trips float64).
Tests/EngineTests/MetricsTests.swift checks Engine's `Metrics` against it.

Run from anywhere, after `pip install scikit-learn`:

    python3 Tests/EngineTests/Fixtures/make_metric_references.py

Running it twice gives the same file, byte for byte, for the same versions of
numpy and scikit-learn (recorded under "generator"; made with 1.9.1).

How each value is obtained, so that the Swift side can match it:
- accuracy, precision/recall/F1 (macro, weighted): accuracy_score and
  precision_recall_fscore_support with zero_division=0; labels are the sorted
  union of those in truth and predicted, as scikit-learn infers them.
- confusion: confusion_matrix(labels=range(class_count)).
- per_class: precision_recall_fscore_support(average=None, zero_division=0,
  labels=range(k)), k the class count (or the largest label + 1).
- binary (class 1 as the positive class): precision_score, recall_score,
  f1_score with pos_label=1, zero_division=0; specificity is recall_score with
  pos_label=0 on the truth and predictions as "is class 1 or not".
- log_loss: log_loss(truth, y_proba=P, labels=range(k)), columns are classes
  0..<k; scikit-learn >= 1.5 clips to [eps, 1 - eps] with eps the float64
  machine epsilon and no longer renormalises rows.
- roc_auc: two columns -> roc_auc_score(truth, P[:, 1]); more ->
  roc_auc_score(truth, P, multi_class="ovr", average="macro").
- mse, rmse, mae, r2: mean_squared_error, root_mean_squared_error,
  mean_absolute_error, r2_score (force_finite=True).
- inertia: sum of squared Euclidean distances from each point to the centre of
  its label, i.e. KMeans.inertia_ for given centres and labels (numpy).
- silhouette: silhouette_score(points, labels) (Euclidean).
"""

import json
import pathlib

import numpy as np
import sklearn
from sklearn import metrics


def classification_case(name, truth, predicted, class_count=None, probabilities=None):
    truth = np.asarray(truth)
    predicted = np.asarray(predicted)
    precision_m, recall_m, f1_m, _ = metrics.precision_recall_fscore_support(
        truth, predicted, average="macro", zero_division=0
    )
    precision_w, recall_w, f1_w, _ = metrics.precision_recall_fscore_support(
        truth, predicted, average="weighted", zero_division=0
    )
    expected = {
        "accuracy": float(metrics.accuracy_score(truth, predicted)),
        "precision_macro": float(precision_m),
        "recall_macro": float(recall_m),
        "f1_macro": float(f1_m),
        "precision_weighted": float(precision_w),
        "recall_weighted": float(recall_w),
        "f1_weighted": float(f1_w),
    }
    case = {"name": name, "truth": truth.tolist(), "predicted": predicted.tolist()}
    if min(truth.min(), predicted.min()) < 0:
        return finish_classification_case(case, expected, class_count, probabilities, truth, predicted)
    k = class_count if class_count is not None else int(max(truth.max(), predicted.max())) + 1
    precision_c, recall_c, f1_c, support_c = metrics.precision_recall_fscore_support(
        truth, predicted, average=None, labels=list(range(k)), zero_division=0
    )
    expected["per_class"] = {
        "precision": [float(v) for v in precision_c],
        "recall": [float(v) for v in recall_c],
        "f1": [float(v) for v in f1_c],
        "support": [int(v) for v in support_c],
    }
    is_positive, says_positive = (truth == 1).astype(int), (predicted == 1).astype(int)
    expected["binary"] = {
        "precision": float(metrics.precision_score(is_positive, says_positive, zero_division=0)),
        "recall": float(metrics.recall_score(is_positive, says_positive, zero_division=0)),
        "f1": float(metrics.f1_score(is_positive, says_positive, zero_division=0)),
        "specificity": float(
            metrics.recall_score(is_positive, says_positive, pos_label=0, zero_division=0)
        ),
    }
    return finish_classification_case(case, expected, class_count, probabilities, truth, predicted)


def finish_classification_case(case, expected, class_count, probabilities, truth, predicted):
    if class_count is not None:
        case["class_count"] = class_count
        expected["confusion"] = metrics.confusion_matrix(
            truth, predicted, labels=list(range(class_count))
        ).tolist()
    if probabilities is not None:
        probabilities = np.asarray(probabilities, dtype=np.float64)
        k = probabilities.shape[1]
        case["probabilities"] = probabilities.tolist()
        expected["log_loss"] = float(
            metrics.log_loss(truth, y_proba=probabilities, labels=list(range(k)))
        )
        if set(truth.tolist()) == set(range(k)):
            if k == 2:
                auc = metrics.roc_auc_score(truth, probabilities[:, 1])
            else:
                auc = metrics.roc_auc_score(
                    truth, probabilities, multi_class="ovr", average="macro"
                )
            expected["roc_auc"] = float(auc)
    case["expected"] = expected
    return case


def flip(rng, labels, rate, classes):
    """Replace a fraction `rate` of labels by a random class."""
    labels = labels.copy()
    wrong = rng.uniform(size=labels.size) < rate
    labels[wrong] = rng.choice(classes, size=int(wrong.sum()))
    return labels


def binary_case():
    rng = np.random.RandomState(0)
    n = 40
    truth = rng.randint(0, 2, size=n)
    predicted = flip(rng, truth, 0.3, [0, 1])
    # One decimal gives many tied scores; 0 and 1 exercise the clipping.
    positive = np.round(np.clip(0.35 * truth + rng.uniform(size=n) * 0.65, 0, 1), 1)
    positive[0], positive[1] = 0.0, 1.0
    probabilities = np.column_stack([1.0 - positive, positive])
    return classification_case("binary", truth, predicted, 2, probabilities)


def three_class_never_predicted_case():
    rng = np.random.RandomState(1)
    n = 50
    truth = rng.randint(0, 3, size=n)
    predicted = np.where(truth == 2, rng.randint(0, 2, size=n), truth)
    predicted = flip(rng, predicted, 0.2, [0, 1])  # class 2 is never predicted
    probabilities = rng.dirichlet(np.ones(3), size=n)
    return classification_case("three_class_never_predicted", truth, predicted, 3, probabilities)


def four_class_case():
    rng = np.random.RandomState(2)
    n = 80
    probabilities = rng.dirichlet(np.full(4, 0.7), size=n)
    truth = np.array([rng.choice(4, p=row) for row in probabilities])
    predicted = probabilities.argmax(axis=1)
    return classification_case("four_class", truth, predicted, 4, probabilities)


def predicted_only_label_case():
    """Class 3 is predicted but never true: it counts in the macro averages."""
    rng = np.random.RandomState(3)
    n = 30
    truth = rng.randint(0, 3, size=n)
    predicted = flip(rng, truth, 0.4, [0, 1, 2, 3])
    probabilities = rng.dirichlet(np.ones(4), size=n)
    return classification_case("predicted_only_label", truth, predicted, 4, probabilities)


def sparse_labels_case():
    """Labels that are not 0..<k: the union {-1, 3, 7, 9} is what is averaged."""
    rng = np.random.RandomState(4)
    n = 25
    truth = rng.choice([-1, 3, 7], size=n)
    predicted = flip(rng, truth, 0.5, [3, 7, 9])
    return classification_case("sparse_labels", truth, predicted)


def regression_case(name, truth, predicted):
    truth = np.asarray(truth, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    return {
        "name": name,
        "truth": truth.tolist(),
        "predicted": predicted.tolist(),
        "expected": {
            "mse": float(metrics.mean_squared_error(truth, predicted)),
            "rmse": float(metrics.root_mean_squared_error(truth, predicted)),
            "mae": float(metrics.mean_absolute_error(truth, predicted)),
            "r2": float(metrics.r2_score(truth, predicted)),
        },
    }


def regression_cases():
    rng = np.random.RandomState(5)
    truth = rng.normal(1.0, 3.0, size=30)
    predicted = truth + rng.normal(0.0, 1.2, size=30)
    worse = rng.normal(1.0, 3.0, size=30)  # unrelated: negative r2
    constant = np.full(8, 2.5)
    return [
        regression_case("regression", truth, predicted),
        regression_case("regression_negative_r2", truth, worse),
        regression_case("constant_truth", constant, constant + rng.normal(0.0, 0.5, size=8)),
        regression_case("constant_truth_perfect", constant, constant),
    ]


def clustering_case(name, points, centers, labels):
    points = np.asarray(points, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    labels = np.asarray(labels)
    inertia = float(((points - centers[labels]) ** 2).sum(axis=1).sum())
    return {
        "name": name,
        "points": points.tolist(),
        "centers": centers.tolist(),
        "labels": labels.tolist(),
        "expected": {
            "inertia": inertia,
            "silhouette": float(metrics.silhouette_score(points, labels)),
        },
    }


def clustering_cases():
    rng = np.random.RandomState(6)
    centers = np.array([[0.0, 0.0, 0.0], [4.0, 4.0, 0.0], [-4.0, 3.0, 2.0]])
    labels = np.repeat(np.arange(3), 20)
    points = centers[labels] + rng.normal(0.0, 1.5, size=(60, 3))
    shuffled = rng.permutation(60)
    blobs = clustering_case("three_blobs", points[shuffled], centers, labels[shuffled])
    # A cluster of one point (its silhouette is 0) and two identical points.
    small_points = rng.normal(0.0, 1.0, size=(9, 2))
    small_points[4] = small_points[3]
    small_labels = np.array([0, 0, 0, 1, 1, 1, 2, 0, 1])
    small_centers = np.array([small_points[small_labels == c].mean(axis=0) for c in range(3)])
    singleton = clustering_case("singleton_cluster", small_points, small_centers, small_labels)
    return [blobs, singleton]


def main():
    references = {
        "generator": {
            "script": "make_metric_references.py",
            "numpy": np.__version__,
            "scikit-learn": sklearn.__version__,
        },
        "classification": [
            binary_case(),
            three_class_never_predicted_case(),
            four_class_case(),
            predicted_only_label_case(),
            sparse_labels_case(),
        ],
        "regression": regression_cases(),
        "clustering": clustering_cases(),
    }
    path = pathlib.Path(__file__).resolve().parent / "metric_references.json"
    path.write_text(json.dumps(references, indent=1) + "\n")


if __name__ == "__main__":
    main()
