#!/usr/bin/env bash
# `athanor serve` under load: the index and a run's JSON over a store of 5,000 runs, in process and through
# wrk on loopback, and the server's CPU use while idle.
#
#   benchmarks/serve.sh [RUNS (default 5000)] [SECONDS of wrk (default 10)]
#
# Needs wrk (scripts/setup.sh installs it). Builds the release athanor-serve and ServeBenchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5000}
seconds=${2:-10}
swift build -c release --product athanor-serve >/dev/null
swift build -c release --product ServeBenchmark >/dev/null
project=$(mktemp -d /tmp/athanor-serve-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$project"' EXIT

echo "== in process (ServeBenchmark, $runs runs)"
.build/release/ServeBenchmark "$runs" 20 --keep "$project"

.build/release/athanor-serve --project "$project" --port 8799 > "$project/out" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q serving "$project/out" && break; sleep 0.1; done
id=$(curl -s http://127.0.0.1:8799/api/runs | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[len(r)//2]["id"])')

echo "== idle CPU over 10 s (clock ticks of user+system time, /proc/$server/stat)"
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(ticks); sleep 10; after=$(ticks)
echo "idle: $((after - before)) ticks of $(getconf CLK_TCK)/s in 10 s"

for path in "/api/runs/$id" "/"; do
    echo "== wrk -t2 -c16 -d${seconds}s http://127.0.0.1:8799$path"
    wrk -t2 -c16 -d"${seconds}s" --latency "http://127.0.0.1:8799$path" | grep -E 'Requests/sec|Latency|50%|99%'
done
echo "== after load, idle again: two windows of 10 s (the first may still answer what wrk left queued)"
for window in 1 2; do
    before=$(ticks); sleep 10; after=$(ticks)
    echo "idle, window $window: $((after - before)) ticks in 10 s"
done
