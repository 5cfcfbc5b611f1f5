#!/usr/bin/env bash
# `athanor serve-model` under load: single-row JSON requests (dataframe_split) to the digits MLP, through wrk
# on loopback. With MLFLOW_PYTHON (a python with mlflow 3.17.2 and scikit-learn, e.g. .build/mlflow-venv/bin/
# python from scripts/setup.sh --mlflow), the same requests to `mlflow models serve` on a scikit-learn
# StandardScaler + MLPClassifier(64) pipeline, interleaved with Athanor's.
#
#   benchmarks/serve_model.sh [SECONDS of wrk per round (default 10)] [ROUNDS (default 2)]
#
# Needs wrk (scripts/setup.sh installs it). Builds the release athanor and athanor-serve (CONFIG=debug: the
# debug ones, to try the script; its figures say nothing of speed).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${2:-2}
config=${CONFIG:-release}
swift build -c "$config" --product athanor-serve >/dev/null
swift build -c "$config" --product athanor >/dev/null
bin=$PWD/.build/$config
project=$(mktemp -d /tmp/athanor-serve-model-bench.XXXXXX)
servers=()
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$project"' EXIT
mkdir -p "$project/data"
cp notebooks/digits.md "$project/" && cp notebooks/data/digits.csv "$project/data/"
(cd "$project" && "$bin/athanor" run digits.md --quiet >/dev/null)

# One row of raw pixels, without its label, as MLflow's dataframe_split.
python3 - "$project" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1] + "/data/digits.csv")))
header, first = rows[0], rows[1]
keep = [i for i, name in enumerate(header) if name != "label"]
body = {"dataframe_split": {"columns": [header[i] for i in keep], "data": [[float(first[i]) for i in keep]]}}
open(sys.argv[1] + "/row.json", "w").write(json.dumps(body))
PY
cat > "$project/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$project/row.json"); wrk.body = f:read("*a"); f:close()
LUA

(cd "$project" && exec "$bin/athanor" serve-model latest:mlp --port 8798 > "$project/athanor.out" 2>&1) &
servers+=($!)
for _ in $(seq 100); do grep -q serving "$project/athanor.out" && break; sleep 0.1; done
curl -s -d @"$project/row.json" -H 'Content-Type: application/json' http://127.0.0.1:8798/invocations; echo

if [[ -n "${MLFLOW_PYTHON:-}" ]]; then
    "$MLFLOW_PYTHON" - "$project" <<'PY'
import sys, mlflow.sklearn, pandas as pd
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
data = pd.read_csv(sys.argv[1] + "/data/digits.csv")
model = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(64,), max_iter=30, random_state=7))
model.fit(data.drop(columns="label"), data["label"])
# MLflow 3 saves with skops, which refuses types it does not know unless named: the MLP's optimizer.
mlflow.sklearn.save_model(
    model, sys.argv[1] + "/sk-model",
    skops_trusted_types=["sklearn.neural_network._stochastic_optimizers.AdamOptimizer"])
PY
    # The server runs uvicorn from the virtual environment's bin, found on PATH.
    PATH="$(dirname "$MLFLOW_PYTHON"):$PATH" "$(dirname "$MLFLOW_PYTHON")/mlflow" models serve -m "$project/sk-model" --env-manager local -p 8797 \
        > "$project/mlflow.out" 2>&1 &
    servers+=($!)
    for _ in $(seq 300); do curl -s http://127.0.0.1:8797/ping >/dev/null && break; sleep 0.2; done
fi

for round in $(seq "$rounds"); do
    for port in 8798 ${MLFLOW_PYTHON:+8797}; do
        name=$([[ $port == 8798 ]] && echo athanor || echo mlflow)
        echo "== round $round, $name: wrk -t1 -c8 -d${seconds}s --latency -s post.lua /invocations"
        wrk -t1 -c8 -d"${seconds}s" --latency -s "$project/post.lua" "http://127.0.0.1:$port/invocations" \
            | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx'
    done
done
