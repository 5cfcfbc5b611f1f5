"""Writes the pipeline benchmark's CSV: ROWS rows of 20 float features and a binary label.

Usage: python3 make_data.py ROWS OUT.csv [MISSING_FRACTION]
The features are standard normal with columns on different scales; the label follows a
logistic model of them, so that a logistic regression has something to find. Fixed seed.
"""

import sys

import numpy as np

rows = int(sys.argv[1])
out = sys.argv[2]
missing = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
generator = np.random.default_rng(8)
features = generator.standard_normal((rows, 20)) * np.linspace(0.5, 50, 20) + np.linspace(-10, 10, 20)
weights = generator.standard_normal(20) / np.linspace(0.5, 50, 20)
logits = (features - np.linspace(-10, 10, 20)) @ weights
labels = (generator.random(rows) < 1 / (1 + np.exp(-logits))).astype(int)
if missing > 0:
    features[generator.random(features.shape) < missing] = np.nan
header = ",".join([f"f{i}" for i in range(20)] + ["label"])
with open(out, "w") as f:
    f.write(header + "\n")
    np.savetxt(f, np.column_stack([features, labels]), delimiter=",", fmt=["%.6g"] * 20 + ["%d"])
