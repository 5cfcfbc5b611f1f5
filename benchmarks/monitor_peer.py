"""The peer of MonitorBenchmark: the same work with pandas, numpy and scipy, in process. Training statistics
(deciles, 1,000 order statistics, category counts) are computed first, outside the timing; then
`pandas.read_csv(NEW)` and, per column, PSI over the deciles, `scipy.stats.ks_2samp` against the order
statistics, and `chi2_contingency` for text columns. Prints the best of REPEAT wall times in seconds.

Usage: python3 benchmarks/monitor_peer.py TRAIN.csv NEW.csv [REPEAT]
"""
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats

train = pd.read_csv(sys.argv[1])
repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3
trained = {}
for column in train.columns:
    if not pd.api.types.is_numeric_dtype(train[column]):
        trained[column] = ("text", train[column].value_counts())
    else:
        values = np.sort(train[column].dropna().values)
        edges = np.unique(np.quantile(values, np.arange(1, 10) / 10))
        counts = np.bincount(np.searchsorted(edges, values), minlength=len(edges) + 1)
        sample = values[(2 * np.arange(1000) + 1) * len(values) // 2000] if len(values) > 1000 else values
        trained[column] = ("number", (edges, counts, sample))

best = float("inf")
for _ in range(repeat):
    start = time.perf_counter()
    new = pd.read_csv(sys.argv[2])
    drifted = []
    for column, (kind, known) in trained.items():
        if kind == "text":
            table = pd.concat([known, new[column].value_counts()], axis=1).fillna(0).values.T
            stats.chi2_contingency(table, correction=False)
            a, b = table[0], table[1]
        else:
            edges, a, sample = known
            values = new[column].dropna().values
            b = np.bincount(np.searchsorted(edges, values), minlength=len(edges) + 1)
            stats.ks_2samp(sample, values)
        p, q = np.maximum(a / a.sum(), 1e-4), np.maximum(b / b.sum(), 1e-4)
        if np.sum((q - p) * np.log(q / p)) >= 0.2:
            drifted.append(column)
    best = min(best, time.perf_counter() - start)
print(f"{best:.3f} drifted: {','.join(drifted)}")
