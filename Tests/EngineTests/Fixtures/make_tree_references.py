#!/usr/bin/env python3
"""scikit-learn's scores that GradientBoostingTests and ForestTests compare the engine with.

    python3 Tests/EngineTests/Fixtures/make_tree_references.py > Tests/EngineTests/Fixtures/tree_references.json

Every dataset of notebooks/data is split by row number, which the test repeats exactly: rows whose
index is a multiple of 4 are the test rows, the others train. Models use scikit-learn's defaults
(random_state=0; early stopping is off at these sizes). Loans is fitted on its numeric columns only,
with their missing values left in (boosting only). `tree_*` and `forest_*` are DecisionTree and
RandomForest (100 trees, n_jobs=2) with their defaults and random_state=0.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier,
                              RandomForestRegressor)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.metrics import accuracy_score, r2_score

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "notebooks", "data")


def score(frame, target, classify, kinds=(HistGradientBoostingClassifier, HistGradientBoostingRegressor), **options):
    test = frame.index % 4 == 0
    x = frame.drop(columns=[target]).to_numpy(dtype=float)
    y = frame[target].to_numpy()
    model = (kinds[0] if classify else kinds[1])(random_state=0, **options)
    model.fit(x[~test], y[~test])
    predicted = model.predict(x[test])
    return accuracy_score(y[test], predicted) if classify else r2_score(y[test], predicted)


references = {"sklearn": sklearn.__version__}
for name, target, classify in [("iris", "species", True), ("wine", "cultivar", True), ("digits", "label", True),
                               ("diabetes", "progression", False)]:
    frame = pd.read_csv(os.path.join(DATA, f"{name}.csv"))
    references[name] = score(frame, target, classify)
    references[f"tree_{name}"] = score(frame, target, classify, (DecisionTreeClassifier, DecisionTreeRegressor))
    references[f"forest_{name}"] = score(
        frame, target, classify, (RandomForestClassifier, RandomForestRegressor), n_jobs=2)
loans = pd.read_csv(os.path.join(DATA, "loans-train.csv"), na_values=["N/A", "null", "?"])
references["loans_numeric"] = score(loans.drop(columns=["home", "purpose"]), "outcome", True)
print(json.dumps(references, indent=2, sort_keys=True))
