#!/usr/bin/env bash
# A 2x2 sweep through Slurm (one job array on the single-node test cluster) against the same sweep run
# locally with -j 2, interleaved, each side from an empty .athanor; the whole command is timed (submission,
# scheduling, the tasks, the reports and the comparison). Target: Slurm within 10 s of local.
#   slurm: athanor run NB --sweep alpha=A,B --sweep iterations=C,D --executor slurm
#   local: athanor run NB --sweep alpha=A,B --sweep iterations=C,D -j 2
# Usage: benchmarks/slurm-sweep.sh [N (default 5)]   (as root: it starts scripts/slurm-test-cluster.sh)
# ATHANOR=PATH times that binary instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SLURM_CONF:-}" ]; then
    if [ -z "${ATHANOR:-}" ]; then
        swift build -c release --product athanor >/dev/null
        ATHANOR=$PWD/.build/release/athanor
    fi
    export ATHANOR
    exec scripts/slurm-test-cluster.sh "$0" "$@"
fi
source benchmarks/timing.sh
rounds=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
lines="a,b,label"
for i in $(seq 0 199); do lines+=$'\n'"$((i % 9)),$((i % 2 * 5 + i % 3)),$([ $((i % 2)) = 0 ] && echo left || echo right)"; done
echo "$lines" >blobs.csv
cat >nb.md <<'NB'
```params
alpha: 1.0
iterations: 100
```

```step data
op: load
path: blobs.csv
target: label
```

```step split
op: split
input: data
seed: 1
```

```step model
op: train
model: logistic
input: split.train
alpha: ${alpha}
iterations: ${iterations}
```

```step eval
op: evaluate
model: model
input: split.test
metrics: [accuracy]
```
NB
grid=(--sweep alpha=0.5,1.0 --sweep iterations=50,100)
measure() {
    rm -rf .athanor ./*.html
    time_us "$ATHANOR" run nb.md -q "${grid[@]}" "$@"
}
slurm_times=() local_times=()
for round in $(seq "$rounds"); do
    if [ $((round % 2)) = 0 ]; then
        slurm_times+=("$(measure --executor slurm)")
        local_times+=("$(measure -j 2)")
    else
        local_times+=("$(measure -j 2)")
        slurm_times+=("$(measure --executor slurm)")
    fi
done
s=$(printf '%s\n' "${slurm_times[@]}" | median)
l=$(printf '%s\n' "${local_times[@]}" | median)
echo "2x2 sweep of a logistic regression on 200 rows; $(nproc) cores; median of $rounds; binary $ATHANOR"
printf -- "--executor slurm:   %8.2f s\n" "$(echo "$s / 1000000" | bc -l)"
printf "local -j 2:         %8.2f s\n" "$(echo "$l / 1000000" | bc -l)"
printf "difference:         %8.2f s (target <= 10 s); ratio %.1fx\n" "$(echo "($s - $l) / 1000000" | bc -l)" \
    "$(echo "$s / $l" | bc -l)"
