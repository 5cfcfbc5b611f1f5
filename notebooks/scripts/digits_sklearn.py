"""The digits, split and fitted by scikit-learn, for notebooks/external.md.

    python3 scripts/digits_sklearn.py split   # writes build/digits-train.csv and build/digits-test.csv
    python3 scripts/digits_sklearn.py train   # standardizes, fits a logistic regression, logs its scores

Parameters come from Athanor (ATHANOR_PARAMS), metrics and the model go back
through athanor_log, the helper in the repository's python/ directory.
"""

import csv
import os
import pickle
import sys
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import athanor_log as athanor


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=float)
    return header, body[:, :-1], body[:, -1].astype(int)


def write(path, header, x, y):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        for features, label in zip(x.astype(int), y):
            out.writerow(list(features) + [label])


def split(params):
    header, x, y = read("data/digits.csv")
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=params["test_size"], stratify=y, random_state=params["seed"])
    write("build/digits-train.csv", header, x_train, y_train)
    write("build/digits-test.csv", header, x_test, y_test)
    print(f"split {len(y)} images: {len(y_train)} to train, {len(y_test)} to test")


def train(params):
    _, x_train, y_train = read("build/digits-train.csv")
    _, x_test, y_test = read("build/digits-test.csv")
    warnings.simplefilter("ignore", ConvergenceWarning)
    # The engine's `alpha` is scikit-learn's 1/C; both minimise the same objective with L-BFGS.
    # A fresh fit per budget of iterations gives the curve; the last one is the model.
    budgets = sorted({b for b in (10, 30) if b < params["iterations"]} | {params["iterations"]})
    for iterations in budgets:
        model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0 / params["alpha"], max_iter=iterations))
        model.fit(x_train, y_train)
        athanor.log("test_accuracy", accuracy_score(y_test, model.predict(x_test)), step=iterations)
    done = budgets[-1]
    predicted = model.predict(x_test)
    athanor.log("accuracy", accuracy_score(y_test, predicted))
    athanor.log("f1_macro", f1_score(y_test, predicted, average="macro"))
    athanor.log("log_loss", log_loss(y_test, model.predict_proba(x_test), labels=model.classes_))
    with open(athanor.artifact_path("model.pkl"), "wb") as f:
        pickle.dump(model, f)
    print(f"scikit-learn: test accuracy {accuracy_score(y_test, predicted):.4f} after {done} iterations")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in ("split", "train"):
        sys.exit("usage: digits_sklearn.py split|train")
    (split if command == "split" else train)(athanor.params())
