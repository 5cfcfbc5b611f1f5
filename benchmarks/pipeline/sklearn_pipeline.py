"""The peer of pipeline.md: the same steps as a plain pandas + scikit-learn script.

Usage: python3 sklearn_pipeline.py DATA.csv
read_csv -> train_test_split(test 0.2, stratified) -> StandardScaler fitted on train ->
LogisticRegression (lbfgs, C=1, 100 iterations: the engine's defaults) -> accuracy on test.
"""

import sys

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

frame = pd.read_csv(sys.argv[1])
x = frame.drop(columns=["label"]).to_numpy()
y = frame["label"].to_numpy()
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, stratify=y, random_state=7)
scaler = StandardScaler().fit(x_train)
model = LogisticRegression(C=1.0, max_iter=100).fit(scaler.transform(x_train), y_train)
print(f"accuracy {accuracy_score(y_test, model.predict(scaler.transform(x_test))):.4f}")
