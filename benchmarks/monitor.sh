#!/usr/bin/env bash
# `athanor monitor` over a large CSV against a pandas + numpy + scipy script computing the same tests, whole
# processes, interleaved: a model is trained on 20,000 rows of 20 float columns and one text column with 10
# levels, then each side compares a new file of ROWS such rows (column x0 shifted) with the training data:
# PSI over the training deciles, two-sample KS against 1,000 training values, χ² for the text column.
# Prints each side's median wall time over N rounds and the ratio athanor/python (target for athanor:
# under 3 s at 1,000,000 rows).
# Usage: benchmarks/monitor.sh [N (default 3)] [ROWS (default 1000000)]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/timing.sh
runs=${1:-3}
rows=${2:-1000000}
work_in_copy_of_notebooks

python3 - "$rows" <<'PY'
import sys
import numpy as np
import pandas as pd

rows = int(sys.argv[1])
rng = np.random.default_rng(0)
colours = np.array(["red", "green", "blue", "cyan", "magenta", "yellow", "black", "white", "grey", "brown"])

def frame(n, shift):
    data = pd.DataFrame(rng.standard_normal((n, 20)).round(6), columns=[f"x{i}" for i in range(20)])
    data["x0"] += shift
    data["colour"] = colours[rng.integers(0, 10, n)]
    data["y"] = np.where(data["x1"] + data["x2"] > 0, "yes", "no")
    return data

frame(20_000, 0).to_csv("monitor-train.csv", index=False)
frame(rows, 0.5).to_csv("monitor-new.csv", index=False)
PY
cat > monitor.md <<'MD'
```step data
op: load
path: monitor-train.csv
target: y
```

```step split
op: split
input: data
```

```step prep
op: preprocess
fit: split.train
apply: {train: split.train}
standardize: all
onehot: [colour]
```

```step model
op: train
model: logistic
input: prep.train
```
MD
"$athanor" run monitor.md -q >/dev/null

cat > peer.py <<'PY'
import sys
import numpy as np
import pandas as pd
from scipy import stats

train = pd.read_csv("monitor-train.csv").sample(frac=0.75, random_state=0)
new = pd.read_csv("monitor-new.csv")
for column in train.columns:
    if train[column].dtype == object:
        table = pd.concat([train[column].value_counts(), new[column].value_counts()], axis=1).fillna(0)
        stats.chi2_contingency(table.T.values, correction=False)
        shares = table / table.sum()
    else:
        values = np.sort(train[column].dropna().values)
        edges = np.unique(np.quantile(values, np.arange(1, 10) / 10))
        a = np.bincount(np.searchsorted(edges, values), minlength=len(edges) + 1)
        b = np.bincount(np.searchsorted(edges, new[column].dropna().values), minlength=len(edges) + 1)
        p, q = np.maximum(a / a.sum(), 1e-4), np.maximum(b / b.sum(), 1e-4)
        np.sum((q - p) * np.log(q / p))
        sample = values[(2 * np.arange(1000) + 1) * len(values) // 2000]
        stats.ks_2samp(sample, new[column].dropna().values)
PY

elapsed() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
}
: >athanor.times
: >python.times
for _ in $(seq "$runs"); do
    elapsed "$athanor" monitor latest --data monitor-new.csv -o drift.html >>athanor.times
    elapsed python3 peer.py >>python.times
done
"$athanor" monitor latest --data monitor-new.csv -o drift.html | head -3 || true
a=$(median <athanor.times)
p=$(median <python.times)
echo "rows: $rows, rounds: $runs"
awk -v a="$a" -v p="$p" 'BEGIN { printf "athanor monitor: %.2f s\npandas + scipy:  %.2f s\nratio athanor/python: %.2f\n", a / 1e6, p / 1e6, a / p }'
