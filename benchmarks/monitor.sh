#!/usr/bin/env bash
# The work of `athanor monitor --data NEW.csv` over a large CSV, in process, against the same work with pandas,
# numpy and scipy (benchmarks/monitor_peer.py), interleaved: training data of 15,000 rows, new data of ROWS rows,
# both 20 float columns (x0 shifted by 0.5 in the new data), one text column of 10 levels and a text target.
# MonitorBenchmark reads NEW.csv with Load.run and compares every column with the training statistics (PSI,
# KS, χ²). Prints the median over N rounds of each side's best of 3, and the ratio athanor/python.
# Target: under 3 s at 1,000,000 rows. Then, when a release `athanor` is built, the whole command N times (the
# store, the recorded notebook checked, the model rebuilt and scoring every row, the metrics, the report).
# Usage: benchmarks/monitor.sh [N (default 3)] [ROWS (default 1000000)]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/timing.sh
runs=${1:-3}
rows=${2:-1000000}
swift build -c release --product MonitorBenchmark >/dev/null
bench=$PWD/.build/release/MonitorBenchmark
peer=$PWD/benchmarks/monitor_peer.py
athanor=$PWD/.build/release/athanor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 - "$rows" <<'PY'
import sys
import numpy as np
import pandas as pd

rng = np.random.default_rng(0)
colours = np.array(["red", "green", "blue", "cyan", "magenta", "yellow", "black", "white", "grey", "brown"])

def frame(n, shift):
    data = pd.DataFrame(rng.standard_normal((n, 20)).round(6), columns=[f"x{i}" for i in range(20)])
    data["x0"] += shift
    data["colour"] = colours[rng.integers(0, 10, n)]
    data["y"] = np.where(data["x1"] + data["x2"] > 0, "yes", "no")
    return data

frame(15_000, 0).to_csv("monitor-train.csv", index=False)
frame(int(sys.argv[1]), 0.5).to_csv("monitor-new.csv", index=False)
PY
: >athanor.times
: >python.times
for _ in $(seq "$runs"); do
    "$bench" monitor-train.csv monitor-new.csv 3 | tee -a athanor.log | cut -d' ' -f1 >>athanor.times
    python3 "$peer" monitor-train.csv monitor-new.csv 3 | tee -a python.log | cut -d' ' -f1 >>python.times
done
a=$(median <athanor.times)
p=$(median <python.times)
echo "rows: $rows, rounds: $runs; athanor $(tail -1 athanor.log | cut -d' ' -f2-); python $(tail -1 python.log | cut -d' ' -f2-)"
awk -v a="$a" -v p="$p" 'BEGIN { printf "athanor (Load.run + drift): %.2f s\npandas + scipy:             %.2f s\nratio athanor/python:       %.2f\n", a, p, a / p }'

if [ -x "$athanor" ]; then
    cat >monitor.md <<'MD'
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
    : >whole.times
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$athanor" monitor latest --data monitor-new.csv -o drift.html >whole.log || true
        end=$(date +%s%N)
        awk -v t=$(((end - start) / 1000)) 'BEGIN { printf "%.3f\n", t / 1e6 }' >>whole.times
    done
    grep -q "^predictions of model: PSI" whole.log || { echo "monitor did not compare the predictions" >&2; exit 1; }
    echo "athanor monitor (whole process, release, the model scoring every row too): $(median <whole.times) s" \
        "(median of $runs)"
fi
