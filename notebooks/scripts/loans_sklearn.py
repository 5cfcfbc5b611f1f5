"""notebooks/loans.md as a scikit-learn pipeline, on the same two files.

    python3 notebooks/scripts/loans_sklearn.py      # prints accuracy, log_loss and roc_auc as JSON

SimpleImputer (mean for numbers, most frequent for text) -> OneHotEncoder for text,
StandardScaler for numbers -> LogisticRegression (lbfgs, C=1), fitted on loans-train.csv,
scored on loans-test.csv. pandas reads the same missing spellings as Athanor's `load` when
told about `?`.
"""

import json
import os

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


def read(name):
    frame = pd.read_csv(os.path.join(DATA, name), na_values=["?"], keep_default_na=True)
    return frame.drop(columns=["outcome"]), frame["outcome"]


x_train, y_train = read("loans-train.csv")
x_test, y_test = read("loans-test.csv")
text = ["home", "purpose"]
numbers = [c for c in x_train.columns if c not in text]
for frame in (x_train, x_test):
    frame[text] = frame[text].astype(object).where(frame[text].notna(), None)
prepare = ColumnTransformer([
    ("numbers", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), numbers),
    ("text", make_pipeline(SimpleImputer(strategy="most_frequent", missing_values=None),
                           OneHotEncoder(handle_unknown="ignore")), text),
])
model = make_pipeline(prepare, LogisticRegression(C=1.0, max_iter=1000)).fit(x_train, y_train)
probabilities = model.predict_proba(x_test)
positive = list(model.classes_).index("repaid")
print(json.dumps({
    "accuracy": accuracy_score(y_test, model.predict(x_test)),
    "log_loss": log_loss(y_test, probabilities, labels=model.classes_),
    "roc_auc": roc_auc_score(y_test == "repaid", probabilities[:, positive]),
}))
